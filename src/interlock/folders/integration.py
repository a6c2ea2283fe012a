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
one per request). The longer operations sit in modules beside this one, each called
with the folder: :mod:`~interlock.folders.rendering` (documents and outcome note),
:mod:`~interlock.folders.researching` (research notes, prefill and suggestions) and
:mod:`~interlock.folders.approvals`; :mod:`~interlock.folders.links` keeps the folder
inside the workspace.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path

from interlock.documents.parser import RESEARCH_FOLDER
from interlock.errors import AnswerError, ConflictError, NotAssignedError, UsageError
from interlock.folders.answer_status import RecordedAnswer, recorded_answers
from interlock.folders.approvals import record_approval, review_folder
from interlock.folders.links import refuse_links_out
from interlock.folders.rendering import render_documents, write_outcome
from interlock.folders.researching import research_asyncapi, research_openapi, suggested_round
from interlock.folders.results import (
    EventResearchResult,
    RenderedIntegration,
    RenderedOutcome,
    ResearchResult,
    Submission,
)
from interlock.folders.session import InterviewSession
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
from interlock.interview.views import Round
from interlock.model.integration import Integration
from interlock.render.blank import BlankKind, write_blank
from interlock.render.outcome import OUTCOME_FILE
from interlock.research.notes import NOTE_FILE, SNAPSHOT_SUFFIX
from interlock.research.source import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from interlock.workspace.approval_review import ApprovalReview, RecordedApproval
from interlock.workspace.approval_roles import required_roles
from interlock.workspace.author import default_author
from interlock.workspace.checklist import PLAN_FILE, Checklist, build_checklist, plan_tasks
from interlock.workspace.root import BANKS_DIR, integration_dir

__all__ = ["IntegrationFolder"]


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
        refuse_links_out(self.path, root.resolve())
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
        """Return ``current`` with what research proposes for its questions; see
        :func:`interlock.folders.researching.suggested_round`."""
        return suggested_round(self, current)

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
        self,
        *,
        template: str = DEFAULT_BANK,
        depth: str | None = None,
        by: str | None = None,
        revision: str | None = None,
    ) -> Iterator[InterviewSession]:
        """Hold the interview open under its lock, starting it if it has not begun.

        Args:
            template: the bank a new interview uses; an existing one keeps its own.
            depth: ``quick``, ``standard`` or ``full``; ``None`` keeps the interview's
                (``standard`` for a new one).
            by: who answers; git's ``user.name`` (else the user logged in) if ``None``.
            revision: the answers file's :attr:`AnswerStore.revision` as the caller read
                it; if the file is not that one any more, nothing is opened.

        Raises:
            UsageError: an unknown depth.
            ConflictError: the answers changed since ``revision``.
            StoreError: the answers do not load, or another process holds the lock.
            BankError: the bank is missing or malformed.
        """
        if depth is not None and depth not in DEPTHS:
            raise UsageError(f"unknown depth {depth!r}", hint=f"choose one of {', '.join(DEPTHS)}")
        who = by or default_author(self.root)
        with self.store.session():
            if revision is not None:
                self._check_revision(revision)
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

    def submit(
        self,
        batch: AnswerBatch,
        *,
        by: str | None = None,
        revision: str | None = None,
        phases: Collection[str] | None = None,
    ) -> Submission:
        """Save ``batch`` whole, or refuse it whole naming every answer refused and why.

        This is what a front end that takes answers from elsewhere calls (an agent, a
        browser, a script): unlike :meth:`answer`, a refused batch is returned, each
        refusal with its reason, not raised at the first.

        Args:
            revision: the answers file's revision the caller last read; see :meth:`interview`.
            phases: the ids of the phases ``by`` may answer; ``None`` for every phase.

        Raises:
            ConflictError: the answers changed since ``revision``; nothing is saved.
            StoreError: the answers do not load, or another process holds the lock.
        """
        with self.interview(by=by, revision=revision) as session:
            refused = session.refusals(batch)
            if phases is not None:
                refused.extend(_outside_phases(session, batch, phases, refused))
            if refused:
                return Submission(tuple(refused), None, (), self.store.revision)
            warnings = session.apply(batch)
            saved = self.store.revision
        # The round after the answers saved needs no lock: the next writer waits less.
        return Submission((), session.next_round(), tuple(warnings), saved)

    def _check_revision(self, revision: str) -> None:
        if self.store.exists():
            self.store.load()  # the revision of the file as it is now
        if not self.store.exists() or self.store.revision != revision:
            raise ConflictError(
                "the answers changed since you read them: someone else answered",
                path=self.store.path,
                hint="nothing was saved; read the next questions again, then answer",
            )

    def _start(self, template: str, depth: str | None) -> AnswerSheet:
        if self.store.exists():
            sheet = self.store.load()
            if depth is not None and depth != sheet.depth:
                sheet = sheet.model_copy(update={"depth": depth})
                self.store.save(sheet)
            return sheet
        sheet = AnswerSheet(name=self.name, template=template, depth=depth or "standard")
        self.engine(sheet)  # an unknown bank is refused before a folder is made for it
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
        """Render the documents into the folder, never over a hand edit unless ``force``;
        see :func:`interlock.folders.rendering.render_documents`."""
        return render_documents(self, author=author, force=force, dry_run=dry_run)

    def write_outcome(
        self,
        *,
        author: str | None = None,
        force: bool = False,
        dry_run: bool = False,
        today: date | None = None,
    ) -> RenderedOutcome:
        """Write ``outcome.md`` from the answers and the ticks of ``plan.md``; see
        :func:`interlock.folders.rendering.write_outcome`."""
        return write_outcome(self, author=author, force=force, dry_run=dry_run, today=today)

    # -- research ------------------------------------------------------------------

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
        """Research an external system from its OpenAPI document: write its note and
        prefill the interview; see :func:`interlock.folders.researching.research_openapi`."""
        return research_openapi(
            self,
            location,
            allow_remote=allow_remote,
            system_name=system_name,
            max_bytes=max_bytes,
            timeout=timeout,
            force=force,
            references=references,
            strict=strict,
        )

    def research_events(
        self,
        location: str,
        *,
        system_name: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        force: bool = False,
        references: Path | None = None,
    ) -> EventResearchResult:
        """Research an event API from its AsyncAPI document: write its note and snapshot;
        see :func:`interlock.folders.researching.research_asyncapi`."""
        return research_asyncapi(
            self,
            location,
            system_name=system_name,
            max_bytes=max_bytes,
            force=force,
            references=references,
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


def _outside_phases(
    session: InterviewSession,
    batch: AnswerBatch,
    phases: Collection[str],
    refused: list[tuple[str, AnswerError]],
) -> list[tuple[str, AnswerError]]:
    """The answers and skips of ``batch`` to questions of a phase not in ``phases``."""
    already = {question_id for question_id, _ in refused}
    found: list[tuple[str, AnswerError]] = []
    for question_id in [*(question_id for question_id, _ in batch.answers), *batch.skips]:
        if question_id in already:
            continue
        phase = session.view(question_id).phase
        if phase not in phases:
            allowed = ", ".join(sorted(phases)) or "none"
            found.append(
                (
                    question_id,
                    NotAssignedError(
                        f"{question_id!r} belongs to phase {phase!r}, which is not assigned to you",
                        hint=f"your phases: {allowed}; ask an admin to assign this one",
                    ),
                )
            )
    return found
