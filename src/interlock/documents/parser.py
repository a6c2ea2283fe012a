"""Parse a Markdown spec into a :class:`~interlock.documents.model.Document`.

:func:`parse_document` never raises on content: broken front matter becomes
``front_matter.error`` for the rules to report. Only undecodable bytes raise, from
:func:`load_document`, as :class:`~interlock.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from interlock.documents.front_matter import split_front_matter
from interlock.documents.markdown import parse_body
from interlock.documents.model import Document, DocumentKind, FrontMatter, normalise_title
from interlock.documents.reader import DEFAULT_MAX_BYTES, decode_text, read_bytes

WORKFLOW_NOTE_NAMES = frozenset({"research.md", "plan.md", "outcome.md"})
RESEARCH_FOLDER = "research"
"""The folder of an integration that holds one research note per system."""
_INTEGRATION_SECTIONS = frozenset(
    {"third-party system information", "integration architecture", "integration contracts"}
)


def load_document(
    path: Path,
    *,
    kind: DocumentKind | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read, decode and parse the spec at ``path``.

    Raises:
        InputError: the file is missing, too large, binary or not UTF-8.
    """
    text = decode_text(read_bytes(path, max_bytes=max_bytes), path=path)
    return parse_document(text, path=path, kind=kind)


def parse_document(text: str, *, path: Path, kind: DocumentKind | None = None) -> Document:
    """Parse decoded ``text``; ``kind`` overrides detection when given."""
    lines = tuple(text.split("\n"))
    if lines and lines[-1] == "" and text.endswith("\n"):
        lines = lines[:-1]
    front_matter, used = split_front_matter(lines)
    body_text = "\n" * used + "\n".join(lines[used:]) if used else text
    body = parse_body(body_text, lines)
    flat = body.all_sections
    titles = [section.title for section in flat]
    detected = kind or detect_kind(front_matter, titles, path)
    return Document(
        path=path,
        text=text,
        lines=lines,
        kind=detected,
        front_matter=front_matter,
        sections=body.sections,
        tables=body.tables,
        tasks=body.tasks,
        code_blocks=body.code_blocks,
        comments=body.comments,
        plain_text=body.plain_text,
        body_line=used + 1,
        code_lines=body.code_lines,
        all_sections=flat,
    )


def detect_kind(
    front_matter: FrontMatter | None, titles: Sequence[str], path: Path
) -> DocumentKind:
    """Decide what a document is from its front matter, heading titles and file name."""

    def integration() -> bool:
        # Asked only when the answer matters; an integration spec names one of these
        # sections near its top, so the search mostly stops early.
        return any(normalise_title(title) in _INTEGRATION_SECTIONS for title in titles)

    if front_matter is not None:
        if front_matter.data.get("type") == "service_spec" and integration():
            return DocumentKind.INTEGRATION_SPEC
        if front_matter.error is not None and integration():
            return DocumentKind.INTEGRATION_SPEC
        return DocumentKind.SPECKIT
    heading = normalise_title(titles[0]) if titles else ""
    if heading.startswith("integration points"):
        return DocumentKind.INTEGRATION_POINTS
    if "interview summary" in heading:
        return DocumentKind.INTERVIEW_SUMMARY
    if workflow_note_name(path) is not None:
        return DocumentKind.WORKFLOW_NOTE
    if integration():
        return DocumentKind.INTEGRATION_SPEC
    return DocumentKind.SPECKIT


def workflow_note_name(path: Path) -> str | None:
    """Return which workflow note ``path`` is (``research.md``, ``plan.md``,
    ``outcome.md``), or ``None``.

    A research note is ``research.md``, or any Markdown file in a ``research/`` folder
    (``specs/NAME/research/stripe.md``, one note per researched system).
    """
    name = path.name.lower()
    if name in WORKFLOW_NOTE_NAMES:
        return name
    if path.parent.name.lower() == RESEARCH_FOLDER and name.endswith(".md"):
        return "research.md"
    return None


__all__ = [
    "RESEARCH_FOLDER",
    "WORKFLOW_NOTE_NAMES",
    "detect_kind",
    "load_document",
    "parse_document",
    "workflow_note_name",
]
