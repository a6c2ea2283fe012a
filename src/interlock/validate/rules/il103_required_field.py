"""A required front matter field that is missing or empty.

A SpeckIt spec must carry its identity and review state in the front matter: by
default ``id, title, type, category, author, version, status, priority, createdAt``
and ``updatedAt``. A missing field is reported at the opening ``---``; a field with
no value (nothing after the colon, ``''``, blanks, or ``[]``) at its own line. The
``fields`` option sets the list a team requires.

Whether a value is well formed (a valid id, a known status, a real date) is the
field-format rule's concern; front matter that does not parse at all is reported by
front-matter-invalid, and a missing block by front-matter-missing.

Fails::

    ---
    id: spec-integration-payments-001
    title: Payments Integration Specification
    author: ''
    ---

Passes::

    ---
    id: spec-integration-payments-001
    title: Payments Integration Specification
    type: service_spec
    category: architecture
    author: Dana Ortiz
    version: 1.0.0
    status: draft
    priority: high
    createdAt: 2024-05-02
    updatedAt: 2024-05-02
    ---
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _front_matter_fields

ID = "IL103"
NAME = "required-field"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {
    "fields": [
        "id",
        "title",
        "type",
        "category",
        "author",
        "version",
        "status",
        "priority",
        "createdAt",
        "updatedAt",
    ]
}
FIX = "add the field to the front matter with a real value"
KINDS = frozenset({DocumentKind.SPECKIT, DocumentKind.INTEGRATION_SPEC})
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Report each required field that is absent or has no value."""
    front_matter = _front_matter_fields.parsed(doc)
    if front_matter is None:
        return
    for name in options["fields"]:
        if name not in front_matter.data:
            yield Problem(
                front_matter.start_line,
                1,
                f"required field {name!r} is missing",
                f"add '{name}: <value>' to the front matter",
            )
        elif _front_matter_fields.is_empty(front_matter.data[name]):
            line = front_matter.line_of(name)
            yield Problem(
                line,
                _front_matter_fields.text_column(doc.line(line)),
                f"required field {name!r} is empty",
                f"give {name} a value",
            )
