"""The facts research reads from an OpenAPI description, as plain frozen data.

Every text here is copied from the document (or names something in it) and is
therefore user data: whoever prints it escapes it. :class:`Research` is what the
research note is rendered from and what prefills the interview.

A fact names where it came from in its ``source``: a JSON pointer into the document
(``#/components/securitySchemes/basic``, ``#/paths/~1v1~1charges/get/parameters/2``),
written as RFC 6901 spells it inside a URI fragment but without percent-encoding, so
that ``{id}`` stays readable. Documents a reference reached sit under the root's
``x-interlock-bundled`` key, and so do the pointers into them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AuthScheme",
    "Callback",
    "Constraint",
    "Detail",
    "Gap",
    "Link",
    "OAuthFlow",
    "Operation",
    "Paging",
    "Parameter",
    "Research",
    "Response",
    "Server",
    "System",
    "Webhook",
]


@dataclass(frozen=True, slots=True)
class Link:
    """A link the document gives: documentation, terms, support."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Server:
    """One base URL of the API, and the environment it serves if the document says."""

    url: str
    description: str
    environment: str
    """``production``, ``sandbox``, ``staging``, ``test``, ``development``, or ``""``."""
    variables: tuple[tuple[str, str], ...] = ()
    """Template variables of the URL and their defaults."""
    source: str = ""


@dataclass(frozen=True, slots=True)
class System:
    """The external system as the document describes itself."""

    name: str
    """What the interview calls it: ``--system-name``, else the document's title."""
    title: str
    version: str
    summary: str
    description: str
    """The first paragraph of the document's description."""
    spec: str
    """``OpenAPI 3.1.0`` or ``Swagger 2.0``."""
    source: str
    """The document as given: a path (relative to the workspace when inside it) or a URL."""
    source_name: str
    """The document's file name."""
    links: tuple[Link, ...]
    contact: str
    license: str


@dataclass(frozen=True, slots=True)
class OAuthFlow:
    """One OAuth 2.0 flow of a security scheme."""

    kind: str
    """``clientCredentials``, ``authorizationCode``, ``implicit``, ``password`` or
    ``deviceAuthorization`` (Swagger 2.0 names are translated)."""
    authorization_url: str
    token_url: str
    refresh_url: str
    scopes: tuple[tuple[str, str], ...]
    """Scope name and description."""


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """One security scheme the document declares."""

    key: str
    """Its name in the document."""
    type: str
    """``apiKey``, ``http``, ``oauth2``, ``openIdConnect`` or ``mutualTLS``."""
    description: str = ""
    location: str = ""
    """Where an API key goes: ``header``, ``query`` or ``cookie``."""
    parameter: str = ""
    """The API key's header, query parameter or cookie name."""
    http_scheme: str = ""
    """``basic``, ``bearer``, ``digest``… for an ``http`` scheme."""
    bearer_format: str = ""
    flows: tuple[OAuthFlow, ...] = ()
    openid_url: str = ""
    operations: int = 0
    """How many operations accept it."""
    carries: str = ""
    """What an HTTP basic scheme's description says it carries, e.g. ``API key sent as
    the HTTP basic user name``; empty when it says nothing of the kind."""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of an operation."""

    name: str
    location: str
    """``path``, ``query``, ``header``, ``cookie``, ``formData`` (Swagger 2.0)."""
    required: bool
    description: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Response:
    """One documented response of an operation."""

    status: str
    description: str
    headers: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Paging:
    """How one operation pages through its results."""

    style: str
    """``cursor``, ``page number``, ``offset`` or ``Link header`` (only the header)."""
    parameters: tuple[str, ...]
    """The query parameters that choose the page (``starting_after``, ``page``)."""
    page_size: str = ""
    """The page size parameter and its bounds, e.g. ``limit (at most 100, default 10)``."""
    next_page: tuple[str, ...] = ()
    """What in the response leads to the next page: ``has_more``, ``the Link header``."""
    source: str = ""
    """The first parameter that chooses the page, else the Link header."""


@dataclass(frozen=True, slots=True)
class Callback:
    """A request the API sends back to us after an operation (OpenAPI 3)."""

    name: str
    expression: str
    """The runtime expression or URL the request goes to."""
    method: str
    summary: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    """One ``METHOD /path`` of the API."""

    method: str
    path: str
    summary: str
    operation_id: str = ""
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    request_types: tuple[str, ...] = ()
    """The media types of the request body; none when it takes no body."""
    body_required: tuple[str, ...] = ()
    """The body's top-level fields its schema requires, sorted."""
    body_optional: tuple[str, ...] = ()
    """The body's other top-level fields, sorted."""
    responses: tuple[Response, ...] = ()
    security: tuple[tuple[str, ...], ...] | None = None
    """Alternatives, each the schemes used together; ``()`` means no authentication,
    ``None`` that the document does not say."""
    callbacks: tuple[Callback, ...] = ()
    paging: Paging | None = None
    """How it pages through its results; ``None`` when it does not page."""
    source: str = ""
    tags: tuple[str, ...] = ()
    """The document's tags of the operation, which group it (``charges``, ``repos``)."""

    @property
    def label(self) -> str:
        """Return ``METHOD /path``."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class Webhook:
    """A request the API sends to us on an event (OpenAPI 3.1 ``webhooks``, ``x-webhooks``)."""

    name: str
    method: str
    summary: str
    request_types: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Detail:
    """One statement of a constraint, and where in the document it was read."""

    text: str
    sources: tuple[str, ...] = ()
    """JSON pointers or header names; the first few of many."""


@dataclass(frozen=True, slots=True)
class Constraint:
    """A limit or rule of the API the integration must respect."""

    topic: str
    """``versioning``, ``rate-limits``, ``pagination``, ``idempotency``, ``size-limits``
    or ``deprecation``."""
    title: str
    details: tuple[Detail, ...]
    summary: str = ""
    """One line for a field such as Rate Limits; empty when the details say it all."""


@dataclass(frozen=True, slots=True)
class Gap:
    """Something the document does not say, which the interview has to ask."""

    text: str
    question: str = ""
    """The id of the bank question that asks it, without its entity, if one does."""


@dataclass(frozen=True, slots=True)
class Research:
    """Everything read from one OpenAPI description."""

    system: System
    servers: tuple[Server, ...]
    auth: tuple[AuthScheme, ...]
    operations: tuple[Operation, ...]
    webhooks: tuple[Webhook, ...]
    constraints: tuple[Constraint, ...]
    gaps: tuple[Gap, ...]
    unresolved: tuple[str, ...]
    """One line per reference not followed: what, where, why."""
    fully_validated: bool
    warnings: tuple[str, ...] = ()
    """One line per part of the document that breaks the OpenAPI specification:
    ``FILE:LINE: at POINTER: what is expected`` (the file by name only)."""
    warnings_total: int = 0
    """How many there were; more than ``len(warnings)`` when the list was cut."""

    def constraint(self, topic: str) -> Constraint | None:
        """Return the constraint about ``topic``, if the document states one."""
        return next((c for c in self.constraints if c.topic == topic), None)

    @property
    def callbacks(self) -> tuple[tuple[Operation, Callback], ...]:
        """Return every callback with the operation that registers it."""
        return tuple((op, callback) for op in self.operations for callback in op.callbacks)
