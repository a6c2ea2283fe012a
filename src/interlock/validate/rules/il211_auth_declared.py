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
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Table
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _statements

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
_SECTIONS = (
    "technical specifications",
    "connection details",
    "access control",
    "authentication and authorization",
    "integration security",
    "security considerations",
)
"""Where the authentication field belongs, most likely first."""
_AUTH_NAME = re.compile(r"^(?:api )?auth(?:entication)?(?: (?:method|type|scheme|mechanism)s?)?$")
_SCHEME = re.compile(
    r"api[- ]?keys?|o?auth ?[12]|oauth|bearer|jwt|basic auth|mtls|mutual tls|client cert"
    r"|hmac|signature|signed|saml|oidc|openid|sasl|iam role|service account|token|no auth"
    r"|unauthenticated",
    re.IGNORECASE,
)
_AUTH_WORD = re.compile(r"\bauth(?:n|entica\w*)?\b|oauth|authorization header", re.IGNORECASE)
"""Authentication, not authorization: "Authorization: role-based" states no scheme."""


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    unfilled: tuple[int, int] | None = None
    for number, line in _statements.statement_lines(doc, _NEEDLES):
        field = _statements.read_field(line)
        if field and _AUTH_NAME.match(field.name):
            if not _statements.is_unfilled(field.value):
                return
            unfilled = unfilled or (number, field.column)
        elif _states_scheme(_statements.strip_placeholders(line)):
            return
    if any(_column_has_value(table) for table in doc.tables):
        return
    where = unfilled or (_statements.preferred_section_line(doc, _SECTIONS), 1)
    yield Problem(*where, "no authentication method is stated")


def _states_scheme(prose: str) -> bool:
    return bool(_AUTH_WORD.search(prose) and _SCHEME.search(prose))


def _column_has_value(table: Table) -> bool:
    # Most tables have no auth column; a substring test spares the per-cell work.
    if "auth" not in " ".join(table.header.cells).casefold():
        return False
    columns = [
        i for i, name in enumerate(_statements.column_names(table)) if _AUTH_NAME.match(name)
    ]
    return any(
        not _statements.is_unfilled(cell)
        for index in columns
        for cell in _statements.column_cells(table, index)
    )
