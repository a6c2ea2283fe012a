"""A heading with nothing under it.

A section is empty when it has no text of its own and no subsection with content.
Only text a reader sees counts: HTML comments, HTML tags such as an anchor
``<a name="x"></a>`` or a ``<br>``, and characters that show nothing (a zero-width
space) do not; the text inside HTML elements and an image's ``alt`` text do. A heading
written in HTML, ``## <span id="x">Next</span>`` or ``<h2>Next</h2>``, is a heading
like any other. An empty section tells a reviewer the author skipped it; write the
content, say explicitly that it does not apply, or remove the heading.
An empty section the document's kind requires is reported by ``required-section``
instead, as an error under ``review``: it is as good as missing.

Fails::

    ## Rollback Plan

    ## Monitoring

Fails (the anchor shows nothing)::

    ## Rollback Plan

    <a name="rollback"></a>

    ## <span id="monitoring">Monitoring</span>

Passes::

    ## Rollback Plan

    Not applicable: the integration is read-only and has nothing to roll back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document
from interlock.model.finding import Problem, Severity

ID = "IL203"
NAME = "empty-section"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {}
FIX = "write the section's content, state that it does not apply, or remove the heading"
KINDS = None
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    for section in doc.walk_sections():
        if not section.has_content():
            yield Problem(section.line, 1, f"section {section.title!r} is empty")
