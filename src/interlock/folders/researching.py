"""Researching an integration's systems: notes and snapshots written, the interview prefilled.

What :meth:`IntegrationFolder.research <interlock.folders.integration.IntegrationFolder.research>`
and :meth:`~interlock.folders.integration.IntegrationFolder.research_events` do: the
description is read and checked first (:mod:`interlock.research.integration`), then,
under the answers file's lock, the research note and snapshot are written to
``research/SYSTEM.md`` and ``.json``, the drift from the last snapshot is found, and
the interview is started if it has not begun and given what the research proposes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from interlock.errors import InputError
from interlock.folders.results import EventResearchResult, ResearchResult
from interlock.interview.answers import AnswerSheet
from interlock.interview.values import entity_key
from interlock.interview.views import Round, Suggestion
from interlock.research.drift import Change, compare_snapshots
from interlock.research.notes import SNAPSHOT_SUFFIX, write_note
from interlock.research.prefill import BY_PREFIX, ENDPOINTS_QUESTION, add_system, prefill_interview
from interlock.research.snapshot import read_snapshot_text, snapshot_text, suggestions_of

if TYPE_CHECKING:
    from interlock.folders.integration import IntegrationFolder

__all__ = ["research_asyncapi", "research_openapi", "suggested_round"]

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


def research_openapi(
    folder: IntegrationFolder,
    location: str,
    *,
    allow_remote: bool,
    system_name: str | None,
    max_bytes: int,
    timeout: float,
    force: bool,
    references: Path | None,
    strict: bool,
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
    from interlock.research.integration import research_document  # loaded when research runs

    found = research_document(
        location,
        workspace_root=folder.root,
        allow_remote=allow_remote,
        system_name=system_name,
        max_bytes=max_bytes,
        timeout=timeout,
        references=references,
        strict=strict,
    )
    store = folder.store
    with store.session():
        begun = store.exists()
        sheet = store.load() if begun else AnswerSheet(name=folder.name)
        by = BY_PREFIX + found.document.name
        system = entity_key(found.research.system.name)
        snapshot = snapshot_text(found.research)
        drift = _drift(folder.research_path, system, snapshot, sheet)
        prefill = prefill_interview(folder.engine(sheet), sheet, found.research, by=by)
        written = write_note(folder.research_path, system, found.note, snapshot, force=force)
        if prefill.changed or not begun:
            store.save(prefill.sheet)
    return ResearchResult(
        found.document,
        found.research,
        folder.research_path / f"{system}.md",
        written,
        prefill,
        store.path,
        drift,
    )


def _drift(
    research: Path, system: str, snapshot: str, sheet: AnswerSheet
) -> tuple[Change, ...] | None:
    """Compare the new facts with the last snapshot of ``system``, if there is one.

    Only the operations the integration uses are compared: those its endpoints
    answer names, before this run refreshes it; every one when it names none.
    """
    previous = research / f"{system}{SNAPSHOT_SUFFIX}"
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


def research_asyncapi(
    folder: IntegrationFolder,
    location: str,
    *,
    system_name: str | None,
    max_bytes: int,
    force: bool,
    references: Path | None,
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
    from interlock.research.integration import research_events  # loaded when research runs

    found = research_events(
        location,
        workspace_root=folder.root,
        system_name=system_name,
        max_bytes=max_bytes,
        references=references,
    )
    system = entity_key(found.research.system.name)
    broker = {server.protocol.lower() for server in found.research.servers} & _BROKERS
    kind = "queue" if broker else "external-api"
    store = folder.store
    with store.session():
        begun = store.exists()
        sheet = store.load() if begun else AnswerSheet(name=folder.name)
        by = "asyncapi:" + found.document.name
        updated, _ = add_system(
            folder.engine(sheet), sheet, found.research.system.name, by=by, kind=kind
        )
        written = write_note(
            folder.research_path, system, found.note, snapshot_text(found.research), force=force
        )
        if updated is not sheet or not begun:
            store.save(updated)
    return EventResearchResult(
        found.document, found.research, folder.research_path / f"{system}.md", written
    )


def suggested_round(folder: IntegrationFolder, current: Round) -> Round:
    """Return ``current`` with what the research of ``folder`` proposes for its questions.

    A researched system's questions offer what its snapshot proposes: the
    endpoints question every operation, the way to authenticate and the sandbox
    question the value the document points to. A person (or agent) confirms by
    answering; research never answers them itself.
    """
    by_system: dict[str, dict[str, tuple[Suggestion, ...]]] = {}
    found = {}
    for view in current.questions:
        base, _, key = view.id.partition("@")
        snapshot = folder.research_path / f"{key}{SNAPSHOT_SUFFIX}"
        if key and key not in by_system:
            source = snapshot.with_suffix(".md").relative_to(folder.path).as_posix()
            by_system[key] = suggestions_of(snapshot, source) if snapshot.is_file() else {}
        if suggestions := by_system.get(key, {}).get(base):
            found[view.id] = suggestions
    return current.suggesting(found)
