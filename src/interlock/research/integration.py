"""Research one integration of a workspace: what ``interlock research NAME`` does.

:func:`research_integration` loads the OpenAPI description, reads its facts, renders
``specs/<name>/research.md`` and prefills the interview in ``specs/<name>/interview.yaml``
(starting one if there is none yet). Everything that can fail is checked before
anything is written: the document, the answers, the bank, a hand-edited note. The
note is then written atomically, and the answers saved under the interview's lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interlock.errors import RenderError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank
from interlock.interview.engine import Engine
from interlock.interview.store import AnswerStore, interview_path
from interlock.render.manifest import WriteResult, edited_documents
from interlock.research.extract import extract_research
from interlock.research.facts import Research
from interlock.research.notes import NOTE_FILE, render_note, write_note
from interlock.research.openapi import OpenApiDocument, load_openapi
from interlock.research.prefill import BY_PREFIX, Prefill, prefill_interview
from interlock.research.source import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, is_remote, shown_url

__all__ = ["ResearchResult", "research_integration"]


@dataclass(frozen=True, slots=True)
class ResearchResult:
    """What :func:`research_integration` read, wrote and answered."""

    document: OpenApiDocument
    research: Research
    note: Path
    written: WriteResult
    prefill: Prefill
    answers: Path


def research_integration(
    workspace_root: Path,
    name: str,
    location: str,
    *,
    allow_remote: bool = False,
    system_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    force: bool = False,
) -> ResearchResult:
    """Research integration ``name`` from the OpenAPI description at ``location``.

    Args:
        workspace_root: the folder holding ``.interlock/`` and ``specs/``.
        name: the integration's name (its folder under ``specs/``).
        location: the document's path (relative paths from the current folder) or URL.
        allow_remote: fetch a URL and remote references; otherwise they are refused.
        system_name: what the interview calls the system; the document's title if None.
        max_bytes: the size limit of the description's documents together.
        timeout: seconds allowed for each remote document.
        force: replace a ``research.md`` edited by hand (a copy is kept).

    Raises:
        InputError: the document is missing, too large, malformed or not OpenAPI.
        UsageError: a URL without ``allow_remote``, or the validator is not installed.
        StoreError: the name is not a slug, or the answers do not load or are locked.
        BankError: the interview's question bank is malformed.
        RenderError: the note was edited by hand, or cannot be written.
    """
    answers = interview_path(workspace_root, name)
    document = load_openapi(
        location, allow_remote=allow_remote, max_bytes=max_bytes, timeout=timeout
    )
    research = extract_research(
        document, system_name=system_name, source=_shown_path(location, workspace_root)
    )
    note = render_note(research, workspace_root=workspace_root)
    folder = answers.parent
    store = AnswerStore(answers)
    with store.session():
        sheet = store.load() if store.exists() else AnswerSheet(name=name)
        engine = Engine(load_bank(sheet.template, workspace_root))
        prefill = prefill_interview(engine, sheet, research, by=BY_PREFIX + document.name)
        edited = edited_documents(folder, {NOTE_FILE: note})
        if edited and not force:
            raise RenderError(
                f"{NOTE_FILE} was edited by hand since it was last written",
                path=edited[0],
                hint="move your notes into another file, or run again with --force, "
                f"which keeps your version as {NOTE_FILE}.edited-<time>",
            )
        written = write_note(folder, note, force=force)
        if prefill.changed or not store.exists():
            store.save(prefill.sheet)
    return ResearchResult(document, research, folder / NOTE_FILE, written, prefill, answers)


def _shown_path(location: str, workspace_root: Path) -> str:
    """Return how the note names the document: its URL, or its path in the workspace.

    The note is committed: an absolute path of one machine means nothing on another,
    so a file outside the workspace is named by its file name alone.
    """
    if is_remote(location):
        return shown_url(location)
    path = Path(location)
    try:
        return path.resolve().relative_to(workspace_root.resolve()).as_posix()
    except (OSError, ValueError):
        return path.name
