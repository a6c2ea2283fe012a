"""Research one external system for an integration: the document, its facts, the note.

:func:`research_document` does the reading half of ``interlock research NAME``: it
loads the OpenAPI description, reads its facts and renders the text of
``research.md``. Nothing is written: the integration folder
(:meth:`IntegrationFolder.research <interlock.folders.integration.IntegrationFolder.research>`)
then prefills the interview and writes the note, under the interview's lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interlock.research.asyncapi import (
    AsyncApiDocument,
    extract_events,
    load_asyncapi,
    render_event_note,
)
from interlock.research.event_facts import EventResearch
from interlock.research.extract import extract_research
from interlock.research.facts import Research
from interlock.research.notes import render_note
from interlock.research.openapi import OpenApiDocument, load_openapi
from interlock.research.source import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, is_remote, shown_url

__all__ = ["ResearchedDocument", "ResearchedEvents", "research_document", "research_events"]


@dataclass(frozen=True, slots=True)
class ResearchedDocument:
    """An OpenAPI description, what it says, and the research note that says it."""

    document: OpenApiDocument
    research: Research
    note: str
    """The text of ``research.md``."""


def research_document(
    location: str,
    *,
    workspace_root: Path,
    allow_remote: bool = False,
    system_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    references: Path | None = None,
    strict: bool = False,
) -> ResearchedDocument:
    """Read the OpenAPI description at ``location`` and render its research note.

    Args:
        location: the document's path (relative paths from the current folder) or URL.
        workspace_root: the workspace the note is written for: its templates, and how
            the note names a document inside it.
        allow_remote: fetch a URL and remote references; otherwise they are refused.
        system_name: what the interview calls the system; the document's title if None.
        max_bytes: the size limit of the description's documents together.
        timeout: seconds allowed for each remote document.
        references: another folder the document's references may read files from.
        strict: refuse a document that breaks the OpenAPI specification anywhere,
            instead of reading what it can (its warnings are on ``document.warnings``).

    Raises:
        InputError: the document is missing, too large, malformed or not OpenAPI; or,
            when ``strict``, it has a warning.
        UsageError: a URL without ``allow_remote``, or the validator is not installed.
        RenderError: the note's template failed.
    """
    document = load_openapi(
        location,
        allow_remote=allow_remote,
        max_bytes=max_bytes,
        timeout=timeout,
        references=references,
        strict=strict,
    )
    research = extract_research(
        document, system_name=system_name, source=_shown_path(location, workspace_root)
    )
    note = render_note(research, workspace_root=workspace_root)
    return ResearchedDocument(document, research, note)


@dataclass(frozen=True, slots=True)
class ResearchedEvents:
    """An AsyncAPI document, what it says, and the research note that says it."""

    document: AsyncApiDocument
    research: EventResearch
    note: str


def research_events(
    location: str,
    *,
    workspace_root: Path,
    system_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    references: Path | None = None,
) -> ResearchedEvents:
    """Read the AsyncAPI document at ``location`` (a file) and render its research note.

    Raises:
        InputError: the document is missing, too large, malformed or not AsyncAPI.
        UsageError: ``location`` is a URL (an AsyncAPI document is downloaded first).
        RenderError: the note's template failed.
    """
    document = load_asyncapi(location, max_bytes=max_bytes, references=references)
    research = extract_events(
        document, system_name=system_name, source=_shown_path(location, workspace_root)
    )
    note = render_event_note(research, workspace_root=workspace_root)
    return ResearchedEvents(document, research, note)


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
