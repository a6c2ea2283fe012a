"""One integration of a workspace, ``specs/NAME/``, and everything front ends do with it.

An :class:`IntegrationFolder` is the one place that knows how an integration's files
hang together::

    specs/NAME/interview.yaml        the answers (and their lock), via AnswerStore
    specs/NAME/integration-spec.md   the documents rendered from them, and plan.md
    specs/NAME/research/SYSTEM.md    the research note of each system's OpenAPI description,
    specs/NAME/research/SYSTEM.json  and the snapshot of what was read from it
    specs/NAME/outcome.md            the outcome note

and how they are read: the answers load with the bank they name (the workspace's own
from ``.interlock/banks/`` first), the engine resolves them, the integration model is
built from that one resolved view, and documents, checklist and status are made from
the model. The command line, the MCP server and the team server call these methods;
none of them loads a store or builds a model itself. Every change to the answers is
made under their lock, so a person in a terminal, an agent and a browser can answer
one interview at once; one folder object serves one thread at a time (a server makes
one per request).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path

from interlock.documents.parser import RESEARCH_FOLDER
from interlock.errors import InputError, UsageError
from interlock.folders.approvals import record_approval, review_folder, stamped_documents
from interlock.folders.results import (
    EventResearchResult,
    RenderedIntegration,
    RenderedOutcome,
    ResearchResult,
)
from interlock.folders.session import InterviewSession, RecordedAnswer, recorded_answers
from interlock.folders.status import IntegrationStatus, ResearchNote, recorded_entities
from interlock.interview.answer_mapping import build_integration
from interlock.interview.answers import DEFAULT_BANK, AnswerSheet
from interlock.interview.bank import load_bank
from interlock.interview.batch import AnswerBatch
from interlock.interview.engine import Engine
from interlock.interview.schema import DEPTHS
from interlock.interview.store import (
    DEFAULT_LOCK_TIMEOUT,
    INTERVIEW_FILE,
    AnswerStore,
    check_integration_name,
)
from interlock.interview.values import entity_key
from interlock.interview.views import Round, Suggestion
from interlock.model.integration import Integration
from interlock.regular_file import link_out_of
from interlock.render.blank import BlankKind, write_blank
from interlock.render.documents import ResearchedSystem, keep_ticks, render_model, spec_meta
from interlock.render.manifest import document_diffs, write_documents
from interlock.render.outcome import OUTCOME_FILE, read_progress, render_outcome_text
from interlock.research.drift import Change, compare_snapshots
from interlock.research.integration import research_document, research_events
from interlock.research.notes import NOTE_FILE, SNAPSHOT_SUFFIX, write_note
from interlock.research.prefill import (
    BY_PREFIX,
    ENDPOINTS_QUESTION,
    add_system,
    prefill_interview,
)
from interlock.research.snapshot import (
    read_snapshot_text,
    snapshot_text,
    suggestions_of,
)
from interlock.research.source import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from interlock.workspace.approvals import ApprovalReview, RecordedApproval, required_roles
from interlock.workspace.author import default_author
from interlock.workspace.checklist import PLAN_FILE, Checklist, build_checklist, plan_tasks
from interlock.workspace.root import BANKS_DIR, integration_dir

__all__ = ["IntegrationFolder"]

_BROKERS = frozenset(
    {
        "kafka",
        "kafka-secure",
        "amqp",
        "amqps",
        "mqtt",
        "secure-mqtt",
        "nats",
        "jms",
        "sns",
        "sqs",
        "stomp",
        "stomps",
        "redis",
        "pulsar",
        "solace",
        "googlepubsub",
        "ibmmq",
        "anypointmq",
    }
)
"""AsyncAPI server protocols of message brokers: a system reached through one is a queue."""
_MAX_LINK_CHECKS = 10_000
"""Entries of an integration folder looked at for links; a real one holds a few dozen."""


class IntegrationFolder:
    """Integration ``name`` of the workspace at ``root``: its files, loaded and written.

    Raises:
        StoreError: ``name`` cannot name a folder (it is not a slug).
    """

    def __init__(
        self, root: Path, name: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> None:
        self.root = root
        self.name = check_integration_name(name)
        self.path = integration_dir(root, self.name)
        """The folder, ``specs/NAME/``."""
        _refuse_links_out(self.path, root.resolve())
        self.store = AnswerStore(self.path / INTERVIEW_FILE, lock_timeout=lock_timeout)
        """The answers file, loaded and saved under its lock."""

    def __repr__(self) -> str:
        return f"IntegrationFolder({self.root!r}, {self.name!r})"

    @property
    def plan_path(self) -> Path:
        """``plan.md``, whose ticked boxes say what is done."""
        return self.path / PLAN_FILE

    @property
    def note_path(self) -> Path:
        """``research.md``, the one research note of an integration researched before
        notes were per system; see :attr:`research_path`."""
        return self.path / NOTE_FILE

    @property
    def research_path(self) -> Path:
        """``research/``: one note (``<system>.md``) and snapshot (``.json``) per system."""
        return self.path / RESEARCH_FOLDER

    @property
    def outcome_path(self) -> Path:
        """``outcome.md``, the outcome note."""
        return self.path / OUTCOME_FILE

    # -- reading -------------------------------------------------------------------

    def exists(self) -> bool:
        """Return whether the integration's interview has begun (its answers file exists)."""
        return self.store.exists()

    def sheet(self) -> AnswerSheet:
        """Return the answers, or explain how to start the interview.

        Raises:
            UsageError: the interview has not begun.
            StoreError: the answers file does not load, or another process holds it.
        """
        if not self.store.exists():
            raise UsageError(
                f"no interview named {self.name!r} in this workspace",
                hint=f"start it with: interlock interview {self.name}",
            )
        return self.store.load()

    def engine(self, sheet: AnswerSheet) -> Engine:
        """Return the engine of the bank ``sheet`` is answered with.

        Raises:
            BankError: the bank is missing or malformed.
        """
        banks = self.root / BANKS_DIR
        return Engine(load_bank(sheet.template, banks, within=self.root.resolve()))

    def integration(self) -> Integration:
        """Return the integration model the answers describe."""
        sheet = self.sheet()
        return self._model(sheet, self.engine(sheet))

    def next_round(self) -> Round:
        """Return the next questions of the interview, without holding its lock."""
        sheet = self.sheet()
        return self.suggesting(self.engine(sheet).next_round(sheet))

    def suggesting(self, current: Round) -> Round:
        """Return ``current`` with what research proposes for its questions.

        A researched system's questions offer what its snapshot proposes: the
        endpoints question every operation, the way to authenticate and the sandbox
        question the value the document points to. A person (or agent) confirms by
        answering; research never answers them itself.
        """
        by_system: dict[str, dict[str, tuple[Suggestion, ...]]] = {}
        found = {}
        for view in current.questions:
            base, _, key = view.id.partition("@")
            snapshot = self.research_path / f"{key}{SNAPSHOT_SUFFIX}"
            if key and key not in by_system:
                source = snapshot.with_suffix(".md").relative_to(self.path).as_posix()
                by_system[key] = suggestions_of(snapshot, source) if snapshot.is_file() else {}
            if suggestions := by_system.get(key, {}).get(base):
                found[view.id] = suggestions
        return current.suggesting(found)

    def status(self) -> IntegrationStatus:
        """Return where the interview stands, its open questions and its checklist."""
        sheet = self.sheet()
        engine = self.engine(sheet)
        resolved = engine.resolve(sheet)
        integration = build_integration(sheet.name, resolved)
        return IntegrationStatus(
            sheet,
            engine.state(sheet),
            resolved.open_questions,
            recorded_entities(engine, sheet),
            self._checklist(integration),
            tuple(self.research_notes()),
            self.root,
        )

    def checklist(self) -> Checklist:
        """Return the integration checklist: open, decided or done, item by item.

        Without interview answers every item is open, unless its plan boxes are ticked.

        Raises:
            InputError: ``plan.md`` exists but cannot be read.
        """
        return self._checklist(self.integration() if self.exists() else None)

    # -- the interview -------------------------------------------------------------

    @contextmanager
    def interview(
        self, *, template: str = DEFAULT_BANK, depth: str | None = None, by: str | None = None
    ) -> Iterator[InterviewSession]:
        """Hold the interview open under its lock, starting it if it has not begun.

        Args:
            template: the bank a new interview uses; an existing one keeps its own.
            depth: ``quick``, ``standard`` or ``full``; ``None`` keeps the interview's
                (``standard`` for a new one).
            by: who answers; git's ``user.name`` (else the user logged in) if ``None``.

        Raises:
            UsageError: an unknown depth.
            StoreError: the answers do not load, or another process holds the lock.
            BankError: the bank is missing or malformed.
        """
        if depth is not None and depth not in DEPTHS:
            raise UsageError(f"unknown depth {depth!r}", hint=f"choose one of {', '.join(DEPTHS)}")
        who = by or default_author(self.root)
        with self.store.session():
            sheet = self._start(template, depth)
            yield InterviewSession(
                self.store, self.engine(sheet), sheet, who, self.suggesting, self.research_path
            )

    def answer(
        self,
        batch: AnswerBatch,
        *,
        template: str = DEFAULT_BANK,
        depth: str | None = None,
        by: str | None = None,
    ) -> Round:
        """Apply ``batch`` (all of it or nothing), save, and return the next round."""
        with self.interview(template=template, depth=depth, by=by) as session:
            session.apply(batch)
            return session.next_round()

    def _start(self, template: str, depth: str | None) -> AnswerSheet:
        if self.store.exists():
            sheet = self.store.load()
            if depth is not None and depth != sheet.depth:
                sheet = sheet.model_copy(update={"depth": depth})
                self.store.save(sheet)
            return sheet
        sheet = AnswerSheet(name=self.name, template=template, depth=depth or "standard")
        self.store.save(sheet)
        return sheet

    # -- revising answers ----------------------------------------------------------

    def recorded_answers(self) -> tuple[RecordedAnswer, ...]:
        """Return every answer with its question, who gave it and when, and its status
        (an inactive one says why it is not asked), without holding the lock.

        Raises:
            UsageError: the interview has not begun.
            StoreError: the answers file does not load.
        """
        sheet = self.sheet()
        return recorded_answers(self.engine(sheet), sheet)

    def revise(self, *, by: str | None = None) -> AbstractContextManager[InterviewSession]:
        """Hold an interview that has begun open under its lock, to change its answers
        (:meth:`InterviewSession.unset`, ``add_system``, ``rename_system``,
        ``remove_system``); unlike :meth:`interview`, it never starts one.

        Raises:
            UsageError: the interview has not begun.
        """
        self.sheet()  # an interview that has not begun is named, not started
        return self.interview(by=by)

    # -- writing documents ---------------------------------------------------------

    def render(
        self, *, author: str | None = None, force: bool = False, dry_run: bool = False
    ) -> RenderedIntegration:
        """Render the documents into the folder, never over a hand edit unless ``force``.

        Args:
            author: the spec's author; git's ``user.name`` (else the user) if ``None``.
            force: replace documents edited by hand (each is kept as ``.edited-<time>``).
            dry_run: render and compare with the files on disk, but write nothing.

        Raises:
            UsageError: the interview has not begun.
            StoreError: the answers do not load.
            BankError: the interview's question bank is missing or malformed.
            RenderError: a template failed, or a document was edited by hand.
        """
        sheet = self.sheet()
        integration = self._model(sheet, self.engine(sheet))
        writer = author or default_author(self.root)
        meta = spec_meta(integration, sheet, author=writer)
        rendered = render_model(
            integration,
            meta,
            author=writer,
            workspace_root=self.root,
            research=self._researched(),
        )
        documents = stamped_documents(
            self.path,
            keep_ticks(self.path, rendered),
            required_roles(sheet),
            within=self.root.resolve(),
        )
        diffs = document_diffs(self.path, documents)
        written = None if dry_run else write_documents(self.path, documents, force=force)
        return RenderedIntegration(self.path, documents, written, diffs, integration.open_questions)

    def write_outcome(
        self,
        *,
        author: str | None = None,
        force: bool = False,
        dry_run: bool = False,
        today: date | None = None,
    ) -> RenderedOutcome:
        """Write ``outcome.md`` from the answers and the ticks of ``plan.md``.

        Args:
            author: who the note is written for; git's ``user.name`` if ``None``.
            force: replace an outcome edited by hand (kept as ``.edited-<time>``).
            dry_run: render and compare, but write nothing.
            today: the date the note carries; today if ``None``.

        Raises:
            UsageError: the interview has not begun.
            InputError: ``plan.md`` exists but cannot be read.
            RenderError: the template failed, or the outcome was edited by hand.
        """
        sheet = self.sheet()
        text = render_outcome_text(
            self._model(sheet, self.engine(sheet)),
            read_progress(self.plan_path),
            author=author or default_author(self.root),
            written=today or date.today(),
            workspace_root=self.root,
        )
        documents = {OUTCOME_FILE: text}
        diff = document_diffs(self.path, documents).get(OUTCOME_FILE, "")
        written = None if dry_run else write_documents(self.path, documents, force=force)
        return RenderedOutcome(self.outcome_path, text, written, diff)

    def research(
        self,
        location: str,
        *,
        allow_remote: bool = False,
        system_name: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        force: bool = False,
        references: Path | None = None,
        strict: bool = False,
    ) -> ResearchResult:
        """Research an external system: write ``research.md`` and prefill the interview.

        Everything that can fail is checked before anything is written: the document,
        the answers, the bank, a hand-edited note. The interview is started if it has
        not begun.

        Args:
            location: the OpenAPI document's path (relative to the current folder) or URL.
            allow_remote: fetch a URL and remote references; otherwise they are refused.
            system_name: what the interview calls the system; the document's title if None.
            max_bytes: the size limit of the description's documents together.
            timeout: seconds allowed for each remote document.
            force: replace a ``research.md`` edited by hand (a copy is kept).
            references: another folder the document's ``$ref``s may read files from
                (those of its own folder they always may).
            strict: refuse a document with any warning (a part that breaks the OpenAPI
                specification, a reference not followed) instead of reading what it can.

        Raises:
            InputError: the document is missing, too large, malformed or not OpenAPI;
                or, when ``strict``, it has a warning.
            UsageError: a URL without ``allow_remote``, or the validator is not installed.
            StoreError: the answers do not load, or another process holds the lock.
            BankError: the interview's question bank is malformed.
            RenderError: the note was edited by hand, or cannot be written.
        """
        found = research_document(
            location,
            workspace_root=self.root,
            allow_remote=allow_remote,
            system_name=system_name,
            max_bytes=max_bytes,
            timeout=timeout,
            references=references,
            strict=strict,
        )
        with self.store.session():
            begun = self.store.exists()
            sheet = self.store.load() if begun else AnswerSheet(name=self.name)
            by = BY_PREFIX + found.document.name
            system = entity_key(found.research.system.name)
            snapshot = snapshot_text(found.research)
            drift = self._drift(system, snapshot, sheet)
            prefill = prefill_interview(self.engine(sheet), sheet, found.research, by=by)
            written = write_note(self.research_path, system, found.note, snapshot, force=force)
            if prefill.changed or not begun:
                self.store.save(prefill.sheet)
        return ResearchResult(
            found.document,
            found.research,
            self.research_path / f"{system}.md",
            written,
            prefill,
            self.store.path,
            drift,
        )

    def _drift(self, system: str, snapshot: str, sheet: AnswerSheet) -> tuple[Change, ...] | None:
        """Compare the new facts with the last snapshot of ``system``, if there is one.

        Only the operations the integration uses are compared: those its endpoints
        answer names, before this run refreshes it; every one when it names none.
        """
        previous = self.research_path / f"{system}{SNAPSHOT_SUFFIX}"
        if not previous.is_file():
            return None
        try:
            old = json.loads(read_snapshot_text(previous))
        except (InputError, ValueError, RecursionError):
            return None  # a damaged snapshot is replaced; there is nothing to compare
        answer = sheet.answers.get(f"{ENDPOINTS_QUESTION}@{system}")
        used = None
        if answer is not None and not answer.skipped and isinstance(answer.value, list):
            used = {str(item).split(" — ", 1)[0].strip() for item in answer.value}
        return tuple(compare_snapshots(old, json.loads(snapshot), used=used))

    def research_events(
        self,
        location: str,
        *,
        system_name: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        force: bool = False,
        references: Path | None = None,
    ) -> EventResearchResult:
        """Research an event API from its AsyncAPI document: write its note and snapshot.

        The system joins the interview's ``systems`` answer (a ``queue`` when its
        servers speak a broker's protocol, else an ``external-api``), and the interview
        is started if it has not begun; its questions are not prefilled from an
        AsyncAPI document yet: the note lists the channels, messages and bindings.

        Raises:
            InputError: the document is missing, too large, malformed or not AsyncAPI.
            UsageError: ``location`` is a URL.
            StoreError: another process holds the lock.
            RenderError: the note was edited by hand, or cannot be written.
        """
        found = research_events(
            location,
            workspace_root=self.root,
            system_name=system_name,
            max_bytes=max_bytes,
            references=references,
        )
        system = entity_key(found.research.system.name)
        broker = {server.protocol.lower() for server in found.research.servers} & _BROKERS
        kind = "queue" if broker else "external-api"
        with self.store.session():
            begun = self.store.exists()
            sheet = self.store.load() if begun else AnswerSheet(name=self.name)
            by = "asyncapi:" + found.document.name
            updated, _ = add_system(
                self.engine(sheet), sheet, found.research.system.name, by=by, kind=kind
            )
            written = write_note(
                self.research_path, system, found.note, snapshot_text(found.research), force=force
            )
            if updated is not sheet or not begun:
                self.store.save(updated)
        return EventResearchResult(
            found.document, found.research, self.research_path / f"{system}.md", written
        )

    def research_notes(self) -> list[ResearchNote]:
        """Return the research note of each system researched, in name order.

        A note written before notes were per system (``research.md``) is listed too,
        under the key ``research``, with no snapshot.
        """
        notes = [
            ResearchNote(path.stem, path, path.with_suffix(SNAPSHOT_SUFFIX))
            for path in sorted(self.research_path.glob("*.md"))
        ]
        if self.note_path.is_file():
            notes.append(ResearchNote(self.note_path.stem, self.note_path, None))
        return notes

    def write_blank(
        self,
        kind: BlankKind = BlankKind.INTEGRATION_SPEC,
        *,
        author: str | None = None,
        today: date | None = None,
    ) -> Path:
        """Write a blank document of ``kind`` to fill by hand; return its path.

        Raises:
            UsageError: the file already exists.
            RenderError: the template failed, or the file cannot be written.
        """
        return write_blank(self.root, self.name, kind, author=author, today=today)

    # -- internals -----------------------------------------------------------------

    def _model(self, sheet: AnswerSheet, engine: Engine) -> Integration:
        return build_integration(sheet.name, engine.resolve(sheet))

    def _researched(self) -> dict[str, ResearchedSystem]:
        """The research notes the documents link to, and the base URLs they found."""
        found: dict[str, ResearchedSystem] = {}
        for note in self.research_notes():
            summary = note.summary()
            if summary is not None:
                link = note.note.relative_to(self.path).as_posix()
                found[note.key] = ResearchedSystem(link, summary.servers)
        return found

    def _checklist(self, integration: Integration | None) -> Checklist:
        tasks = plan_tasks(self.plan_path)
        return build_checklist(self.name, integration, tasks, self.plan_path.relative_to(self.root))

    # -- approvals -----------------------------------------------------------------

    def approve(
        self, role: str, *, by: str | None = None, comment: str = "", at: datetime | None = None
    ) -> RecordedApproval:
        """Record that ``by`` approved the documents as they are now, in ``role``; see
        :func:`interlock.folders.approvals.record_approval`."""
        sheet = self.sheet()
        with self.store.session():
            return record_approval(
                self.path,
                required_roles(sheet),
                role,
                by=by or default_author(self.root),
                comment=comment,
                at=at,
                within=self.root.resolve(),
                name=self.name,
            )

    def approvals(self) -> ApprovalReview:
        """Return every approval, judged against the documents as they are now, and the
        roles still missing; see :func:`interlock.folders.approvals.review_folder`."""
        return review_folder(self.path, required_roles(self.sheet()), within=self.root.resolve())


def _refuse_links_out(folder: Path, root: Path) -> None:
    """Refuse an integration folder that a link leads out of the workspace ``root``.

    A linked ``specs/NAME`` (or ``specs``) would have answers, documents and locks
    written elsewhere, and a linked file in it read from elsewhere; both are refused
    before anything is read or written, naming the link and where it leads.

    Raises:
        InputError: the folder, or an entry below it, is a link out of ``root``.
    """
    links = [folder] if folder.is_symlink() or folder.parent.is_symlink() else []
    if folder.is_dir() and not links:
        for count, entry in enumerate(folder.rglob("*")):
            if count >= _MAX_LINK_CHECKS:
                break
            if entry.is_symlink():
                links.append(entry)
    for path in links:
        real = link_out_of(path, root)
        if real is not None:
            raise InputError(
                f"{path.relative_to(root) if path.is_relative_to(root) else path} is a link "
                f"to {real}, outside the workspace",
                path=path,
                hint="Interlock neither reads nor writes outside the workspace through a "
                "link; replace the link with the folder or file itself",
            )
