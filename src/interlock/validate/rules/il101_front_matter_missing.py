"""A SpeckIt spec without front matter.

A SpeckIt spec, and an integration specification in particular, opens with a YAML
front matter block: a ``---`` line on line 1, one ``field: value`` line per metadata
field (id, title, type, status, ...), and a closing ``---`` line. Without it the spec
has no id to link to and no status to review, so every metadata check is skipped.
The block must start on the very first line: a blank line or a title above it turns
it into ordinary Markdown. Documents of other kinds (Integration Points, interview
summaries, workflow notes) have no front matter and are not checked.

Fails::

    # Payments Integration Specification

    ## Overview and Context

Passes::

    ---
    id: spec-integration-payments-001
    title: Payments Integration Specification
    type: service_spec
    ---

    # Payments Integration Specification
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind
from interlock.model.finding import Problem, Severity

ID = "IL101"
NAME = "front-matter-missing"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {}
FIX = "start the file with a '---' line, the metadata fields, and a closing '---' line"
KINDS = frozenset({DocumentKind.SPECKIT, DocumentKind.INTEGRATION_SPEC})
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Report a document that has no front matter block on line 1."""
    if doc.front_matter is not None:
        return
    # Blank lines above the fence are a common slip (an editor or a template adds
    # them); saying where the block went beats a generic "add front matter".
    hint = ""
    blank = 0
    while blank < len(doc.lines) and not doc.lines[blank].strip():
        blank += 1
    if blank and doc.line(blank + 1).rstrip() == "---":
        hint = f"remove the blank lines above the '---' on line {blank + 1}: it must be line 1"
    yield Problem(1, 1, "no front matter: a SpeckIt spec starts with a '---' block", hint)
