"""Render the research note, ``research.md``, and write it without losing a hand edit.

The note follows the integration workflow's shape (``## External System`` with Name,
Documentation, Authentication and Rate Limits; ``## Key Endpoints/Features``;
``## Constraints``), adds what the document does not say, and is rendered from
``research.md.j2`` (a workspace may override it like any template).

Everything in :class:`~interlock.research.facts.Research` comes from the document, so
the template prints it through the functions of :func:`note_context`: ``quote``,
``quote_cell`` and ``quote_block`` escape Markdown as the answer filters do, and also
keep quoted text from reading as the author's own unfinished work to the validator:
a vendor's ``TODO`` or ``YYYY-MM-DD`` format string is shown as written, but with a
character reference or a backslash that the rendered page does not show. ``code``
prints names, paths and URLs as code spans; ``link`` prints a URL as a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interlock.errors import RenderError
from interlock.render.environment import ESCAPE_FILTERS, backtick_fence, render_template
from interlock.render.manifest import WriteResult, edited_documents, write_documents
from interlock.render.markdown_escape import Markdown, normalise_text
from interlock.research.constraints import counted
from interlock.research.facts import AuthScheme, Operation, Research
from interlock.research.security import describe_scheme, flow_name

__all__ = [
    "NOTE_FILE",
    "SNAPSHOT_SUFFIX",
    "TEMPLATE",
    "auth_summary",
    "code",
    "link",
    "note_context",
    "parameters_of",
    "quote",
    "quote_block",
    "quote_cell",
    "quote_heading",
    "render_note",
    "security_of",
    "write_note",
]

NOTE_FILE = "research.md"
"""The one research note of an integration researched before notes were per system."""
SNAPSHOT_SUFFIX = ".json"
TEMPLATE = "research.md.j2"

# Brackets stay out: the validator would read ``[word]`` in a link as a placeholder.
_AUTOLINK = re.compile(r"https?://[^\s<>`\\\[\]]+", re.IGNORECASE)
_MUSTACHE = re.compile(r"\{ ?\{|\} ?\}")
# The validator's default placeholder tokens and open-question markers.
_FORMAT_TOKENS = re.compile(r"YYYY-MM-DD|SEV-X")
_UPPER_MARKERS = re.compile(r"(?<![A-Za-z0-9])(?:TBD|TODO|FIXME)(?![A-Za-z0-9])")
_PHRASE_MARKERS = re.compile(r"(?<![A-Za-z0-9])(to be) (decided|determined)(?![A-Za-z0-9])", re.I)


def render_note(research: Research, *, workspace_root: Path | None = None) -> str:
    """Return the text of ``research.md`` for ``research``.

    Raises:
        RenderError: the template (built-in or the workspace's) failed.
    """
    text = render_template(TEMPLATE, note_context(research), workspace_root=workspace_root)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def write_note(
    folder: Path, system: str, text: str, snapshot: str, *, force: bool = False
) -> WriteResult:
    """Write system ``system``'s note and snapshot into ``folder`` (``research/``).

    ``<system>.md`` is the note a person reads, ``<system>.json`` the snapshot of what
    was read. The notes of other systems in the folder are not touched. A hand edit of
    the note is never replaced unless ``force``.

    Raises:
        RenderError: the note was edited by hand since it was written (nothing is
            written then), or cannot be written.
    """
    note = f"{system}.md"
    documents = {note: text, f"{system}{SNAPSHOT_SUFFIX}": snapshot}
    edited = edited_documents(folder, documents)
    if edited and not force:
        raise RenderError(
            f"{edited[0].name} was edited by hand since it was last written",
            path=edited[0],
            hint="move your notes into another file, or run again with --force, "
            f"which keeps your version as {edited[0].name}.edited-<time>",
        )
    return write_documents(folder, documents, force=force)


def note_context(research: Research) -> dict[str, Any]:
    """Return what the template sees: the facts, and the functions that print them."""
    functions: dict[str, Callable[..., Any]] = {
        "quote": quote,
        "quote_cell": quote_cell,
        "quote_block": quote_block,
        "quote_heading": quote_heading,
        "code": code,
        "link": link,
        "describe": describe_scheme,
        "flow_name": flow_name,
        "security_of": security_of,
        "auth_summary": auth_summary,
        "parameters_of": parameters_of,
        "counted": counted,
    }
    return {"research": research, **functions}


def quote(text: str) -> Markdown:
    """Return document text for one line: a sentence, list item or field."""
    return _quoted(text, "md")


def quote_cell(text: str) -> Markdown:
    """Return document text for a table cell."""
    return _quoted(text, "md_cell")


def quote_block(text: str) -> Markdown:
    """Return document text as paragraphs of its own."""
    return _quoted(text, "md_block")


def quote_heading(text: str) -> Markdown:
    """Return document text for a heading."""
    return _quoted(text, "md_heading")


def code(text: str, cell: bool = False) -> Markdown:
    """Return ``text`` as a code span (``cell``: inside a table), or quoted if it cannot be.

    A code span cannot hold a line break, and the validator reads ``{{`` even inside
    one as an unfilled placeholder; such text is quoted instead.
    """
    text = normalise_text(text)
    if not text.strip() or "\n" in text or _MUSTACHE.search(text):
        return quote_cell(text) if cell else quote(text)
    fence = backtick_fence(text)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    if cell:
        # A table splits its row on every unescaped pipe, code spans included.
        padded = padded.replace("|", "\\|")
    return Markdown(f"{fence}{padded}{fence}")


def link(url: str, cell: bool = False) -> Markdown:
    """Return ``url`` as a link when it is a plain web address, else as code."""
    if _AUTOLINK.fullmatch(url) and not _MUSTACHE.search(url) and "|" not in url:
        return Markdown(f"<{url}>")
    return code(url, cell)


def security_of(operation: Operation) -> str:
    """Return what an operation accepts: ``oauth2 or bearerAuth``, ``none``, ``not stated``."""
    if operation.security is None:
        return "not stated"
    alternatives = [" + ".join(names) if names else "none" for names in operation.security]
    return " or ".join(alternatives) if alternatives else "none"


def auth_summary(schemes: tuple[AuthScheme, ...]) -> str:
    """Return the one-line Authentication field: every scheme, described."""
    if not schemes:
        return "none declared in the document"
    return "; ".join(f"{scheme.key}: {describe_scheme(scheme)}" for scheme in schemes)


def parameters_of(operation: Operation) -> Markdown:
    """Return the Parameters cell of an operation: each parameter, then its body."""
    shown = [
        f"{code(p.name, cell=True)} ({quote_cell(p.location)}{', required' if p.required else ''})"
        for p in operation.parameters
    ]
    in_parameters = any(p.location in ("body", "formData") for p in operation.parameters)
    if operation.request_types and not in_parameters:
        shown.append(f"body ({quote_cell(', '.join(operation.request_types))})")
    return Markdown(", ".join(shown) or "none")


def _quoted(text: str, escape_filter: str) -> Markdown:
    """Escape ``text`` as the template filter ``escape_filter`` would, then defuse it."""
    return Markdown(_defuse(ESCAPE_FILTERS[escape_filter](text)))


def _defuse(text: str) -> str:
    """Keep quoted text from tripping the validator's placeholder and open-marker rules.

    What the page shows is unchanged: ``\\-`` and ``\\?`` are escapes of punctuation,
    and ``&#84;`` and ``&#32;`` are character references for ``T`` and a space.
    """
    text = _FORMAT_TOKENS.sub(lambda m: m.group().replace("-", "\\-"), text)
    text = _UPPER_MARKERS.sub(lambda m: f"&#{ord(m.group()[0])};{m.group()[1:]}", text)
    text = _PHRASE_MARKERS.sub(lambda m: f"{m.group(1)}&#32;{m.group(2)}", text)
    return text.replace("???", "?\\?\\?")
