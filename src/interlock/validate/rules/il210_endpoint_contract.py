"""The spec declares no endpoint, or an endpoint without a valid method and path.

An integration contract names the calls: an HTTP method and a path (or URL) for each
endpoint. Endpoints are read from:

- field pairs in one section, ``**Method**: POST`` with ``**Endpoint**: /v1/charges``
  (also Path, URL, URI or Route for the second field), or one field holding both,
  ``**Endpoint**: `POST /api/v1/orders` ``;
- tables with a Method column and an Endpoint, Path, URL or Route column, one endpoint
  per row (``| GET | `/users/{id}` | Get user info |``), or an Endpoint column whose
  cells hold both (``| POST /orders |``);
- inline mentions such as ``POST /v1/charges`` or ``GET https://api.example.com/v1/x``,
  which count as declared endpoints.

The rule fires once, at the Integration Contracts (or API Endpoints) heading, when no
endpoint is declared at all; and once per declared endpoint whose method is not an HTTP
method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT), whose method is
missing, or whose path is missing or is neither a path (``/v1/charges``) nor a URL.
Placeholders (``{{…}}``, ``[…]``, ``<…>``, TBD) count as missing, and an endpoint whose
method and path are both placeholders is an unfilled template, not a declaration.

Queue and event integrations have no endpoints: with ``accept_events`` (the default),
an Event Contracts section holding an event schema (a code block or table with real
content, or a filled Event Schema field) satisfies the rule instead.

RPC-style APIs name operations, not routes: Slack's Web API calls ``chat.postMessage``,
a gRPC service ``orders.v1.Orders/GetOrder``. With ``accept_rpc`` (the default), a
section that declares an RPC style, by a field ``**API Style**: RPC`` (or a ``Style``,
``Type``, ``Protocol`` or ``Interface Style`` field whose value names RPC, JSON-RPC,
XML-RPC or gRPC, as ``**Type**: gRPC``), holds operations: in it and its subsections
an endpoint may name an operation instead of a path, and needs no HTTP method (a
method cell reading "none given" or "—" is no method; one that is written must still be
an HTTP method), and a table may list them in an Operation column.

Fails::

    ## Integration Contracts

    **Method**: {{GET, POST, PUT, DELETE, etc.}}
    **Endpoint**: {{Third-party endpoint URL}}

    | Method | Endpoint | Purpose      |
    |--------|----------|--------------|
    |        | /orders  | Create order |

Passes::

    ## Integration Contracts

    **Method**: POST
    **Endpoint**: https://api.stripe.com/v1/charges

    #### Called on Slack

    **API Style**: RPC

    | Method     | Endpoint           | Purpose          |
    |------------|--------------------|------------------|
    | none given | `chat.postMessage` | Post the message |

    | Method | Endpoint       | Purpose       |
    |--------|----------------|---------------|
    | GET    | `/orders/{id}` | Read an order |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from interlock.documents.model import Document, DocumentKind, Section, Table
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _statements

ID = "IL210"
NAME = "endpoint-contract"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {"accept_events": True, "accept_rpc": True}
FIX = (
    "declare each endpoint's method and path, e.g. '**Method**: POST', '**Endpoint**: /v1/charges'"
)
KINDS = frozenset({DocumentKind.INTEGRATION_SPEC, DocumentKind.INTEGRATION_POINTS})
SCOPE = "document"

HTTP_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
)
_NEEDLES = ("ethod", "ndpoint")
"""Tails of Method and Endpoint in either case; each search scans the whole text."""
_METHOD_NAMES = frozenset({"method", "http method", "verb", "http verb"})
_PATH_NAMES = frozenset({"endpoint", "endpoints", "path", "url", "uri", "route", "endpoint url"})
_PATH_WORD = re.compile(r"endpoint|path|url|uri|route|operation|rpc", re.IGNORECASE)
_PAIR_DISTANCE = 3
"""How many lines apart a Method field and its Endpoint field may stand."""
_PATH = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://[^\s/]+\S*|/\S*|\{[\w.-]+\}/\S*|[\w-]+(?:\.[\w-]+)+(?::\d+)?/\S*)$",
    re.IGNORECASE,
)
_INLINE = re.compile(r"(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)[ \t]+(?:/|https?://)")
_SCHEMA_NAMES = frozenset({"event schema", "schema", "payload schema", "message schema"})
_STYLE_NEEDLES = ("tyle", "ype", "rotocol")
"""Tails of the field names that declare an API's style, in either case."""
_STYLE_NAMES = frozenset({"api style", "style", "interface style", "type", "protocol"})
_RPC_STYLE = re.compile(r"(?<![\w-])(?:g|json-|xml-)?rpc(?![\w-])", re.IGNORECASE)
_OPERATION = re.compile(r"/?[A-Za-z_][\w-]*(?:[./][A-Za-z_][\w-]*)*")
"""An RPC operation's name: ``chat.postMessage``, ``/users.list``, ``pkg.Service/Method``."""
_OPERATION_NAMES = frozenset({"operation", "operations", "rpc", "rpc method"})
_NO_METHOD = frozenset({"none given", "none", "—", "-", "rpc"})
"""What a method cell holds for an RPC operation that names no HTTP method."""
_CODE_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Part:
    """The method or the path of an endpoint, where it is written."""

    text: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _Endpoint:
    """One declared endpoint; a part that is not written at all is ``None``."""

    method: _Part | None
    path: _Part | None


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    rpc = _rpc_spans(doc) if options["accept_rpc"] else ()
    endpoints = [*_field_endpoints(doc), *_table_endpoints(doc.tables, doc.lines, rpc)]
    declared = [endpoint for endpoint in endpoints if _is_declared(endpoint)]
    for endpoint in declared:
        problem = _judge_rpc(endpoint) if _in_spans(endpoint, rpc) else _judge(endpoint)
        if problem is not None:
            yield problem
    if declared or _INLINE.search(doc.plain_text):
        return
    if options["accept_events"] and _has_event_schema(doc):
        return
    yield Problem(_contracts_line(doc), 1, "no endpoint is declared (an HTTP method and a path)")


def _judge(endpoint: _Endpoint) -> Problem | None:
    """Return the problem with one declared endpoint, or ``None`` when it is valid."""
    method, path = endpoint.method, endpoint.path
    if method is None or _statements.is_unfilled(method.text):
        # A declared endpoint without a real method has a real path.
        assert path is not None
        where = method or path
        return Problem(where.line, where.column, f"endpoint {path.text!r} has no HTTP method")
    written = method.text.strip("`*_ ").split()[0].strip(",;()`")
    verb = written.upper()
    if verb not in HTTP_METHODS:
        return Problem(method.line, method.column, f"{written!r} is not an HTTP method")
    if path is None or _statements.is_unfilled(path.text):
        where = path or method
        return Problem(where.line, where.column, f"{verb} endpoint has no path")
    if not _PATH.match(path.text.split()[0].strip("`<>")):
        return Problem(path.line, path.column, f"{path.text!r} is not a path or URL")
    return None


def _judge_rpc(endpoint: _Endpoint) -> Problem | None:
    """Return the problem with an endpoint of an RPC-style section, or ``None``: it may
    name an operation instead of a path, and need not name an HTTP method."""
    method, path = endpoint.method, endpoint.path
    if method is not None and not _no_method(method.text):
        written = method.text.strip("`*_ ").split()[0].strip(",;()`")
        if written.upper() not in HTTP_METHODS:
            return Problem(method.line, method.column, f"{written!r} is not an HTTP method")
    if path is None or _statements.is_unfilled(path.text):
        where = path or method
        assert where is not None  # a declared endpoint has a real part
        return Problem(where.line, where.column, "RPC operation has no name")
    name = path.text.split()[0].strip("`<>")
    if not (_OPERATION.fullmatch(name) or _PATH.match(name)):
        return Problem(
            path.line, path.column, f"{path.text!r} is not an operation name, a path or a URL"
        )
    return None


def _no_method(text: str) -> bool:
    return _statements.is_unfilled(text) or " ".join(text.strip("`*_ ").casefold().split()) in (
        _NO_METHOD
    )


def _rpc_spans(doc: Document) -> tuple[tuple[int, int], ...]:
    """Return the line ranges of the sections that declare an RPC style (with their
    subsections); a declaration above the first heading covers the whole document."""
    spans = []
    for number, line in _statements.statement_lines(doc, _STYLE_NEEDLES):
        field = _statements.read_field(line)
        if field is None or field.name not in _STYLE_NAMES or not _RPC_STYLE.search(field.value):
            continue
        inside = [s for s in doc.walk_sections() if s.line <= number <= s.end_line]
        if inside:
            innermost = max(inside, key=lambda section: section.line)
            spans.append((innermost.line, innermost.end_line))
        else:
            spans.append((1, len(doc.lines)))
    return tuple(spans)


def _in_spans(endpoint: _Endpoint, spans: tuple[tuple[int, int], ...]) -> bool:
    part = endpoint.path or endpoint.method
    return part is not None and any(first <= part.line <= last for first, last in spans)


def _is_declared(endpoint: _Endpoint) -> bool:
    parts = (endpoint.method, endpoint.path)
    return any(part is not None and not _statements.is_unfilled(part.text) for part in parts)


def _field_endpoints(doc: Document) -> Iterator[_Endpoint]:
    """Pair Method fields with the path field next to them; a lone path field may hold
    both, as in ``**Endpoint**: `POST /orders` ``."""
    paired: set[int] = set()
    methods: list[_Part] = []
    paths: dict[int, _Part] = {}
    for number, line in _statements.statement_lines(doc, _NEEDLES):
        name, part = _field(line, number)
        if name in _METHOD_NAMES and part is not None:
            methods.append(part)
        elif name in _PATH_NAMES and part is not None:
            paths[number] = part
    for method in methods:
        found = _neighbour_path(doc, method.line, paths)
        if found is not None:
            paired.add(found.line)
        yield _Endpoint(method, found)
    for number, path in paths.items():
        if number not in paired:
            yield _split_combined(path)


def _neighbour_path(doc: Document, number: int, paths: Mapping[int, _Part]) -> _Part | None:
    """Return the path field within a few lines of a Method field, in the same section."""
    for step in (1, -1):
        for other in range(number + step, number + step * (_PAIR_DISTANCE + 1), step):
            text = doc.line(other)
            if text.lstrip().startswith("#") or doc.in_code(other):
                break
            if other in paths:
                return paths[other]
            name, part = _field(text, other)
            if name in _PATH_NAMES:
                return part
    return None


def _field(line: str, number: int) -> tuple[str, _Part | None]:
    field = _statements.read_field(line)
    if field is None:
        return "", None
    return field.name, _Part(field.value, number, field.column)


def _split_combined(part: _Part) -> _Endpoint:
    """Read ``POST /orders`` as a method and a path; a bare path has no method."""
    words = part.text.strip("`").split(maxsplit=1)
    if len(words) == 2 and words[0].upper() in HTTP_METHODS:
        offset = part.text.index(words[1], len(words[0]))
        path = _Part(words[1].strip("`"), part.line, part.column + offset)
        return _Endpoint(_Part(words[0], part.line, part.column + part.text.index(words[0])), path)
    return _Endpoint(None, part)


def _table_endpoints(
    tables: Iterable[Table], lines: tuple[str, ...], rpc: tuple[tuple[int, int], ...] = ()
) -> Iterator[_Endpoint]:
    for table in tables:
        # Most tables list no endpoints; one search of the header spares the per-cell work.
        if not _PATH_WORD.search(" ".join(table.header.cells)):
            continue
        names = _statements.column_names(table)
        in_rpc = any(first <= table.line <= last for first, last in rpc)
        path_names = _PATH_NAMES | _OPERATION_NAMES if in_rpc else _PATH_NAMES
        method_column = next((i for i, name in enumerate(names) if name in _METHOD_NAMES), None)
        path_column = next((i for i, name in enumerate(names) if name in path_names), None)
        if path_column is None:
            continue
        for row in table.rows:
            source = lines[row.line - 1]
            path = _cell(row.cells, path_column, source, row.line)
            if method_column is not None:
                yield _Endpoint(_cell(row.cells, method_column, source, row.line), path)
                continue
            combined = _split_combined(path) if path is not None else _Endpoint(None, None)
            # Without a Method column, only cells that start with a method are endpoints:
            # an Endpoint column may also list health checks or file paths. An RPC
            # section's operations name no method.
            if combined.method is not None or (in_rpc and combined.path is not None):
                yield combined


def _cell(cells: tuple[str, ...], index: int, source: str, line: int) -> _Part | None:
    if index >= len(cells):
        return None
    return _Part(cells[index], line, _cell_column(source, index))


def _cell_column(source: str, index: int) -> int:
    """Return the column of cell ``index``'s text on a table row's source line, or of the
    cell's first character when it is empty."""
    position = len(source) - len(source.lstrip())
    if source.startswith("|", position):
        position += 1
    starts = [position]
    in_code = False
    for offset in range(position, len(source)):
        char = source[offset]
        if char == "`":
            in_code = not in_code
        elif char == "|" and not in_code and source[offset - 1] != "\\":
            starts.append(offset + 1)
    if index + 1 >= len(starts):
        return starts[-1] + 1
    start, end = starts[index], starts[index + 1] - 1
    text = source[start:end]
    return start + (len(text) - len(text.lstrip()) if text.strip() else 0) + 1


def _has_event_schema(doc: Document) -> bool:
    """Return whether an Event Contracts section holds a schema with real content."""
    return any(
        "event contract" in section.title.casefold() and _section_has_schema(doc, section)
        for section in doc.walk_sections()
    )


def _section_has_schema(doc: Document, section: Section) -> bool:
    def inside(line: int) -> bool:
        return section.line <= line <= section.end_line

    for block in doc.code_blocks:
        if inside(block.line) and re.search(r"\w", _CODE_PLACEHOLDER.sub("", block.text)):
            return True
    for table in doc.tables:
        if inside(table.line) and any(
            not _statements.is_unfilled(cell) for row in table.rows for cell in row.cells
        ):
            return True
    for number in range(section.line + 1, section.end_line + 1):
        name, part = _field(doc.line(number), number)
        if name in _SCHEMA_NAMES and part is not None and not _statements.is_unfilled(part.text):
            return True
    return False


def _contracts_line(doc: Document) -> int:
    """Return the line of the contracts (or endpoints) heading, or the body's top."""
    for section in doc.walk_sections():
        title = section.title.casefold()
        if "contract" in title or "endpoint" in title:
            return section.line
    return doc.body_line
