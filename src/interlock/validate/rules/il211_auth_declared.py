"""The spec never says how the integration authenticates.

Every integration spec states how calls are authenticated, even when the answer is
"none". The rule is satisfied by any one of:

- a field named Authentication, Authentication Method (or Type, Scheme), Auth or
  Auth Method, written ``- **Authentication**: OAuth 2.0 client credentials``,
  ``**Auth Method:** API key`` or ``- Authentication: mutual TLS``, with a real value;
- a table column with one of those names (``| Auth Method |``) and a real cell;
- a sentence that mentions authentication together with a scheme, such as "The
  service authenticates with an API key in the Authorization header" (API key,
  OAuth, bearer token, JWT, basic auth, mutual TLS, HMAC, signature, SAML, OIDC...).

A value is real when it is neither empty nor a placeholder: ``{{…}}``, ``[…]``,
``<…>``, TBD, TBC, N/A and the like satisfy nothing. Code blocks and HTML comments are
not read. The finding is placed on the first unfilled authentication field, else on
the section where the field belongs (Technical Specifications, Connection Details,
Access Control...), else at the top of the document.

Fails::

    ### Technical Specifications

    - **Authentication Method**: {{Authentication requirements}}

Passes::

    ### Technical Specifications

    - **Authentication Method**: restricted secret key as a Bearer token, read from Vault
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Table, normalise_title
from interlock.model.finding import Problem, Severity

ID = "IL211"
NAME = "auth-declared"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {}
FIX = "state the authentication method, e.g. '- **Authentication**: OAuth 2.0 client credentials'"
KINDS = frozenset({DocumentKind.INTEGRATION_SPEC, DocumentKind.INTEGRATION_POINTS})
SCOPE = "document"

_NEEDLES = ("uth",)
"""Found in auth, Auth, OAuth, authentication: one fast search finds every candidate."""
_AUTH_NAME = re.compile(r"^(?:api )?auth(?:entication)?(?: (?:method|type|scheme|mechanism)s?)?$")
_SCHEME = re.compile(
    r"api[- ]?keys?|o?auth ?[12]|oauth|bearer|jwt|basic auth|mtls|mutual tls|client cert"
    r"|hmac|signature|signed|saml|oidc|openid|sasl|iam role|service account|token|no auth"
    r"|unauthenticated",
    re.IGNORECASE,
)
_AUTH_WORD = re.compile(r"\bauth(?:n|entica\w*)?\b|oauth|authorization header", re.IGNORECASE)
"""Authentication, not authorization: "Authorization: role-based" states no scheme."""
_SECTIONS = (
    "technical specifications",
    "connection details",
    "access control",
    "authentication and authorization",
    "integration security",
    "security considerations",
)

_FIELD = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?(?:\*\*|__)?(?P<name>[^*_:|\n]{1,60}?)[ \t]*"
    r"(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)?)[ \t]*(?P<value>.*?)[ \t]*$"
)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\[[^\]]*\](?!\()|<(?![a-z]+://)[^<>]*>")
_STAND_INS = frozenset({"", "tbd", "tbc", "todo", "n/a", "na", "?"})


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    unfilled: tuple[int, int] | None = None
    for number, line in _statement_lines(doc, _NEEDLES):
        field = _FIELD.match(line)
        if field and _AUTH_NAME.match(_name(field["name"])):
            if not _is_unfilled(field["value"]):
                return
            unfilled = unfilled or (number, field.start("value") + 1)
        elif _states_scheme(_PLACEHOLDER.sub("", line)):
            return
    if any(_column_has_value(table) for table in doc.tables):
        return
    where = unfilled or (_section_line(doc), 1)
    yield Problem(*where, "no authentication method is stated")


def _states_scheme(prose: str) -> bool:
    return bool(_AUTH_WORD.search(prose) and _SCHEME.search(prose))


def _column_has_value(table: Table) -> bool:
    # Most tables have no auth column; a substring test spares the per-cell work.
    if "auth" not in " ".join(table.header.cells).casefold():
        return False
    columns = [i for i, cell in enumerate(table.header.cells) if _AUTH_NAME.match(_name(cell))]
    return any(
        not _is_unfilled(row.cells[index])
        for index in columns
        for row in table.rows
        if index < len(row.cells)
    )


def _section_line(doc: Document) -> int:
    """Return the line of the first section where the field belongs, or the body's top."""
    lines: dict[str, int] = {}
    for section in doc.walk_sections():
        lines.setdefault(normalise_title(section.title), section.line)
    return next((lines[title] for title in _SECTIONS if title in lines), doc.body_line)


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


def _is_unfilled(value: str) -> bool:
    """Return whether ``value`` states nothing: empty, a placeholder or a stand-in word."""
    return _PLACEHOLDER.sub("", value).strip(" \t`*_.,;:()-—–…").casefold() in _STAND_INS


def _statement_lines(doc: Document, needles: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield the lines holding a needle that are prose or fields: not code, comments,
    tables or headings."""
    spans = [(c.line, c.end_line) for c in doc.comments] + [
        (t.line, t.end_line) for t in doc.tables
    ]
    for number in _lines_with(doc.text, needles):
        line = doc.line(number)
        if line.lstrip().startswith("#") or doc.in_code(number):
            continue
        if not any(first <= number <= last for first, last in spans):
            yield number, line


def _lines_with(text: str, needles: Iterable[str]) -> list[int]:
    """Return the numbers of the lines of ``text`` that hold any of ``needles``.

    ``str.find`` over the whole text is several times faster than a case-insensitive
    regular expression or a loop over the lines, and rules run on every document.
    """
    offsets: list[int] = []
    for needle in needles:
        at = text.find(needle)
        while at != -1:
            offsets.append(at)
            at = text.find(needle, at + len(needle))
    numbers: list[int] = []
    line, counted = 1, 0
    for at in sorted(offsets):
        line += text.count("\n", counted, at)
        counted = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers
