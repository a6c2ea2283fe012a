"""A spec whose parent, dependencies or related names its own id.

A link from a spec to itself says nothing and usually means an id was copied into the
wrong field. It is reported at the link's line, with the relation named.

Fails::

    ---
    id: spec-integration-stripe-001
    dependencies: ['spec-integration-stripe-001']
    ---

Passes::

    ---
    id: spec-integration-stripe-001
    dependencies: ['spec-integration-vault-002']
    ---
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document
from interlock.model.finding import Problem, Severity
from interlock.workspace.index import entry_of

ID = "IL404"
NAME = "self-link"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {}
FIX = "remove the link, or point it at the spec that was meant"
KINDS = None
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    entry = entry_of(doc)
    if entry.id is None:
        return
    for link in entry.links:
        if link.target == entry.id:
            yield Problem(
                link.line,
                _column(doc.line(link.line), link.target),
                f"{link.relation} names this spec's own id {entry.id!r}",
            )


def _column(line: str, target: str) -> int:
    """Return where ``target`` stands on ``line``: a flow list holds other ids too."""
    found = re.search(rf"(?<![\w.-]){re.escape(target)}(?![\w.-])", line)
    return found.start() + 1 if found else 1
