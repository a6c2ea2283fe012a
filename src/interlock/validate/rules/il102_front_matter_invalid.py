"""Front matter that is not a valid YAML mapping of fields.

The block between the ``---`` lines must parse as YAML and hold a mapping of
``field: value`` lines. The finding points at the line where parsing failed:

- a syntax error, such as a tab used for indentation or an unquoted ``: `` or ``{``;
- a list or a single value where the fields should be;
- a field written twice (YAML would silently keep the last one);
- anchors and aliases (``&name``, ``*name``), refused so that a few lines cannot
  expand into millions of values;
- nesting deeper than 64 levels;
- a block opened with ``---`` and never closed.

Template placeholders must be quoted: ``{{hours}}`` unquoted is YAML flow syntax,
not text.

Fails::

    ---
    id: spec-integration-payments-001
    estimatedEffort: { { hours } }
    id: spec-integration-payments-002
    ---

Passes::

    ---
    id: spec-integration-payments-001
    estimatedEffort: '{{hours}}'
    ---
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, FrontMatterError
from interlock.model.finding import Problem, Severity

ID = "IL102"
NAME = "front-matter-invalid"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {}
FIX = "fix the YAML at the reported line; quote values that contain ':', '#', '{' or '['"
KINDS = None
SCOPE = "document"

# The parser's messages are precise but written for YAML experts; each entry pairs a
# phrase of a parser message with what it means for a front matter author.
_EXPLANATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "never closed",
        "",
        "add a line holding only '---' after the last field",
    ),
    (
        "duplicate key",
        "",
        "keep one of the two lines: YAML would silently use only the last one",
    ),
    (
        "aliases",
        "",
        "write the value out in full; aliases are refused so a file cannot expand",
    ),
    (
        "nested deeper",
        "",
        "front matter fields are plain values and lists of strings",
    ),
    (
        "unhashable key",
        "front matter is not valid YAML: unquoted '{ }' braces make a mapping, not text",
        "quote template placeholders ('{{hours}}') or write the real value",
    ),
    (
        "mapping values are not allowed",
        "front matter is not valid YAML: a value contains ': ', or a line is indented"
        " deeper than the field above it",
        "quote a value that contains ': ', and start every field at the same column",
    ),
    (
        "did not find expected key",
        "front matter is not valid YAML: this line is not indented like the fields around it",
        "start every field at the same column, and indent list items under their field",
    ),
    (
        "while parsing a flow sequence",
        "front matter is not valid YAML: a '[' list is not closed with ']'",
        "close the list with ']', or quote a value that starts with '['",
    ),
    (
        "while parsing a flow mapping",
        "front matter is not valid YAML: a '{' is not closed with '}'",
        "quote a value that starts with '{', such as a '{{placeholder}}'",
    ),
    (
        "while scanning a quoted scalar",
        "front matter is not valid YAML: a quoted value is never closed",
        "add the closing quote to the value that starts on this line or above",
    ),
    (
        "invalid YAML value",
        "",
        "an unquoted date such as 2024-02-30 must be a real calendar date",
    ),
    (
        "constructor for the tag",
        "front matter is not valid YAML: YAML tags ('!!name') are not accepted",
        "remove the tag and write a plain value",
    ),
)


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Report why the front matter could not be parsed, at the line it failed on."""
    if doc.front_matter is None or doc.front_matter.error is None:
        return
    error = doc.front_matter.error
    message, hint = _explain(error, doc.line(error.line))
    yield Problem(error.line, error.column, message, hint)


def _explain(error: FrontMatterError, source: str) -> tuple[str, str]:
    """Return a message and a hint a front matter author can act on."""
    if "must be a mapping" in error.message:
        shape = "a list" if "a list" in error.message else "a single value"
        return (
            f"front matter must be a mapping of 'field: value' lines, not {shape}",
            "write one field per line, such as 'id: spec-integration-payments-001'",
        )
    if "tab character" in error.message or _tab_at(source, error.column):
        return (
            "front matter is not valid YAML: a tab is used for indentation",
            "indent with spaces: YAML does not accept tabs there",
        )
    if "cannot start any token" in error.message:
        character = source[error.column - 1 : error.column] or "this character"
        return (
            f"front matter is not valid YAML: a value cannot start with {character!r}",
            "quote the value",
        )
    for phrase, message, hint in _EXPLANATIONS:
        if phrase in error.message:
            return message or _with_subject(error.message), hint
    return _with_subject(error.message), ""


def _tab_at(source: str, column: int) -> bool:
    indent = source[: len(source) - len(source.lstrip())]
    return "\t" in indent and column <= len(indent) + 1


def _with_subject(message: str) -> str:
    if "front matter" in message:
        return message
    if message.startswith("invalid YAML value"):
        return f"front matter has an invalid value{message.removeprefix('invalid YAML value')}"
    if message.startswith("invalid YAML"):
        return f"front matter is not valid YAML{message.removeprefix('invalid YAML')}"
    return f"front matter: {message}"
