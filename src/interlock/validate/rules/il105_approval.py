"""A spec that has not been approved, or does not say who approved it.

Off by default: the production preset turns it on, so that a spec going to production
must be signed off. It fails when ``status`` is not one of the ``statuses`` option
(``approved`` and ``implemented`` by default), and, unless ``require_approvers`` is
false, when ``approvers`` is missing or names nobody.

Fails::

    ---
    status: review
    approvers: []
    ---

Passes::

    ---
    status: approved
    approvers: [dana-ortiz]
    ---
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _front_matter_fields

ID = "IL105"
NAME = "approval"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.OFF
OPTIONS: Mapping[str, Any] = {
    "statuses": ["approved", "implemented"],
    "require_approvers": True,
}
FIX = "have the spec reviewed, then set its status and list its approvers"
KINDS = frozenset({DocumentKind.SPECKIT, DocumentKind.INTEGRATION_SPEC})
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Report a status short of approval and a spec with no approvers."""
    front_matter = _front_matter_fields.parsed(doc)
    if front_matter is None:
        return
    status = front_matter.data.get("status")
    if status not in options["statuses"]:
        line = front_matter.line_of("status")
        yield Problem(
            line,
            _key_column(doc, line, "status" in front_matter.data),
            f"{_describe_status(status)} {', '.join(options['statuses'])}:"
            " the spec is not approved yet",
            "get the spec approved, then update its status",
        )
    if options["require_approvers"] and not _names_anyone(front_matter.data.get("approvers")):
        present = "approvers" in front_matter.data
        line = front_matter.line_of("approvers")
        yield Problem(
            line,
            _key_column(doc, line, present),
            f"approvers is {'empty' if present else 'missing'}:"
            " an approved spec names who approved it",
            "list the approvers, such as approvers: [dana-ortiz]",
        )


def _describe_status(status: Any) -> str:
    if status is None or (isinstance(status, str) and not status.strip()):
        return "status is missing or empty, so it is not one of"
    return f"status {status!r} is not one of"


def _names_anyone(approvers: Any) -> bool:
    if isinstance(approvers, str):
        return bool(approvers.strip())
    if isinstance(approvers, list):
        return any(isinstance(name, str) and name.strip() for name in approvers)
    return approvers is not None


def _key_column(doc: Document, line: int, present: bool) -> int:
    """Return the column of a present key, or 1 for the opening fence."""
    if not present:
        return 1
    return _front_matter_fields.text_column(doc.line(line))
