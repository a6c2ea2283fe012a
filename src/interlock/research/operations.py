"""The operations, webhooks and callbacks of an OpenAPI description.

:func:`raw_operations` walks ``paths`` once, following references, and yields each
operation with its merged parameters and where each is in the document; the facts
(:func:`read_operations`) and the constraints (:mod:`~interlock.research.constraints`)
are both read from it. Swagger 2.0 and OpenAPI 3 differ in where bodies and media
types live, and both are handled here. Webhooks are read from OpenAPI 3.1's
``webhooks`` and from the ``x-webhooks`` extension that 3.0 documents use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from interlock.research.facts import Callback, Operation, Parameter, Response, Webhook
from interlock.research.html_text import prose
from interlock.research.openapi import OpenApiDocument
from interlock.research.references import Resolver

__all__ = [
    "METHODS",
    "RawOperation",
    "one_line",
    "pointer",
    "raw_operations",
    "read_operations",
    "read_webhooks",
    "status_order",
    "text_of",
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SUMMARY_MAX = 200
_WEBHOOK_KEYS = ("webhooks", "x-webhooks")
_REF_CHAIN = 20


@dataclass(frozen=True, slots=True)
class RawOperation:
    """One operation as the document has it, references of its parameters followed."""

    method: str
    path: str
    node: Mapping[str, Any]
    parameters: tuple[Mapping[str, Any], ...]
    """Path-level and operation-level parameters; the operation's win on (name, in)."""
    source: str = ""
    """The operation's JSON pointer."""
    parameter_sources: tuple[str, ...] = ()
    """The JSON pointer of each parameter where the operation lists it."""
    parameter_definitions: tuple[str, ...] = ()
    """The JSON pointer of each parameter's definition: the end of its ``$ref``."""

    @property
    def label(self) -> str:
        """Return ``METHOD /path``."""
        return f"{self.method.upper()} {self.path}"


def raw_operations(document: OpenApiDocument) -> Iterator[RawOperation]:
    """Yield every operation under ``paths``, in the document's order."""
    resolver = document.resolver
    paths = document.data.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        yield from _item_operations(resolver, str(path), item, pointer("paths", str(path)))


def pointer(*tokens: str | int) -> str:
    """Return the JSON pointer of ``tokens`` as a fragment: ``#/paths/~1pets/get``."""
    escaped = (str(token).replace("~", "~0").replace("/", "~1") for token in tokens)
    return "#/" + "/".join(escaped)


def _item_operations(
    resolver: Resolver, path: str, item: Any, where: str
) -> Iterator[RawOperation]:
    if isinstance(item, dict) and isinstance(item.get("$ref"), str):
        where = item["$ref"]
    item = resolver.deref(item)
    if not isinstance(item, dict):
        return
    shared = _parameters(resolver, item.get("parameters"), f"{where}/parameters")
    for method in METHODS:
        node = resolver.deref(item.get(method))
        if not isinstance(node, dict):
            continue
        own = _parameters(resolver, node.get("parameters"), f"{where}/{method}/parameters")
        merged = {(p.get("name"), p.get("in")): (p, at, to) for p, at, to in (*shared, *own)}
        yield RawOperation(
            method,
            path,
            node,
            tuple(p for p, _, _ in merged.values()),
            f"{where}/{method}",
            tuple(at for _, at, _ in merged.values()),
            tuple(to for _, _, to in merged.values()),
        )


def _parameters(
    resolver: Resolver, value: Any, where: str
) -> list[tuple[Mapping[str, Any], str, str]]:
    """Return each parameter with where the list has it and where it is defined."""
    if not isinstance(value, list):
        return []
    found: list[tuple[Mapping[str, Any], str, str]] = []
    for index, item in enumerate(value):
        at = f"{where}/{index}"
        defined = _final_ref(resolver, item) or at
        parameter = resolver.deref(item)
        if isinstance(parameter, dict):
            found.append((parameter, at, defined))
    return found


def _final_ref(resolver: Resolver, node: Any) -> str:
    """Return the last local ``$ref`` of the chain starting at ``node``; ``""`` if none."""
    ref = ""
    for _ in range(_REF_CHAIN):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        ref = node["$ref"]
        if not ref.startswith("#"):
            return ""
        try:
            node = resolver.pointer(ref[1:])
        except Exception:  # a broken reference, which validation reports
            return ""
    return ref


def read_operations(document: OpenApiDocument) -> tuple[Operation, ...]:
    """Return the facts of every operation."""
    resolver = document.resolver
    data = document.data
    root_security = data.get("security")
    root_consumes = data.get("consumes")
    operations = []
    for raw in raw_operations(document):
        node = raw.node
        security = node.get("security", root_security)
        body_required, body_optional = _body_fields(resolver, raw)
        operations.append(
            Operation(
                method=raw.method.upper(),
                path=raw.path,
                summary=summary_of(node),
                operation_id=text_of(node.get("operationId")),
                deprecated=node.get("deprecated") is True,
                parameters=tuple(
                    Parameter(
                        text_of(p.get("name")),
                        text_of(p.get("in")),
                        p.get("required") is True,
                        one_line(prose(p.get("description"))),
                        at,
                    )
                    for p, at in zip(raw.parameters, raw.parameter_sources, strict=True)
                ),
                request_types=_request_types(resolver, raw, node.get("consumes", root_consumes)),
                body_required=body_required,
                body_optional=body_optional,
                responses=_responses(resolver, node.get("responses"), raw.source),
                security=_security(security),
                callbacks=_callbacks(resolver, node.get("callbacks"), raw.source),
                source=raw.source,
                tags=tuple(text_of(tag) for tag in node.get("tags") or () if isinstance(tag, str)),
            )
        )
    return tuple(operations)


def read_webhooks(document: OpenApiDocument) -> tuple[Webhook, ...]:
    """Return the webhooks the document declares: the requests the API sends us.

    OpenAPI 3.1 has ``webhooks``; 3.0 documents (GitHub's among them) use ``x-webhooks``.
    """
    resolver = document.resolver
    found = []
    for key in _WEBHOOK_KEYS:
        webhooks = document.data.get(key)
        if not isinstance(webhooks, dict):
            continue
        for name, item in webhooks.items():
            for raw in _item_operations(resolver, str(name), item, pointer(key, str(name))):
                body = resolver.deref(raw.node.get("requestBody"))
                found.append(
                    Webhook(
                        str(name),
                        raw.method.upper(),
                        summary_of(raw.node),
                        _media_types(body),
                        raw.source,
                    )
                )
    return tuple(found)


def summary_of(node: Mapping[str, Any]) -> str:
    """Return an operation's summary, else the first line of its description."""
    summary = one_line(prose(node.get("summary")))
    if summary:
        return summary
    description = prose(node.get("description")).strip()
    return one_line(description.split("\n", 1)[0]) if description else ""


def one_line(text: str, limit: int = _SUMMARY_MAX) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters."""
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1].rstrip() + "…"


def status_order(status: str) -> tuple[int, str]:
    """Sort key of response codes: 2xx before 4xx, ``default`` last."""
    return (int(status[0]) if status[:1].isdigit() else 9, status)


def text_of(value: Any) -> str:
    """Return a scalar of the document as text; ``""`` for a missing one."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def _request_types(resolver: Resolver, raw: RawOperation, consumes: Any) -> tuple[str, ...]:
    body = resolver.deref(raw.node.get("requestBody"))
    if body is not None:
        return _media_types(body)
    # Swagger 2.0: a body or form parameter, sent as one of the declared media types.
    if any(p.get("in") in ("body", "formData") for p in raw.parameters):
        if isinstance(consumes, list) and consumes:
            return tuple(str(kind) for kind in consumes)
        return ("unspecified",)
    return ()


def _body_fields(resolver: Resolver, raw: RawOperation) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the top-level fields of the request body, required and optional.

    The fields are those of each media type's schema and of its ``allOf`` parts; a field
    is required when one of them requires it. The branches of a ``oneOf`` or ``anyOf``
    are alternatives, so their fields are optional.
    """
    body = resolver.deref(raw.node.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    if isinstance(content, dict):
        schemas = [media.get("schema") for media in content.values() if isinstance(media, dict)]
    else:  # Swagger 2.0: one body parameter carries the schema
        schemas = [p.get("schema") for p in raw.parameters if p.get("in") == "body"]
    required: set[str] = set()
    fields: set[str] = set()
    for schema in schemas:
        _collect_fields(resolver, schema, fields, required, depth=0)
    return tuple(sorted(required)), tuple(sorted(fields - required))


def _collect_fields(
    resolver: Resolver, schema: Any, fields: set[str], required: set[str] | None, depth: int
) -> None:
    schema = resolver.deref(schema)
    if not isinstance(schema, dict) or depth > _REF_CHAIN:
        return
    properties = schema.get("properties")
    if isinstance(properties, dict):
        fields.update(str(name) for name in properties)
    named = schema.get("required")
    if required is not None and isinstance(named, list):
        required.update(str(name) for name in named if isinstance(name, str))
    for key in ("allOf", "oneOf", "anyOf"):
        parts = schema.get(key)
        for part in parts if isinstance(parts, list) else ():
            _collect_fields(resolver, part, fields, required if key == "allOf" else None, depth + 1)


def _media_types(body: Any) -> tuple[str, ...]:
    content = body.get("content") if isinstance(body, dict) else None
    return tuple(str(kind) for kind in content) if isinstance(content, dict) else ()


def _responses(resolver: Resolver, value: Any, where: str) -> tuple[Response, ...]:
    if not isinstance(value, dict):
        return ()
    found = []
    for key in sorted(value, key=lambda status: status_order(str(status))):
        status = str(key)
        at = f"{where}/responses/{status}"
        response = resolver.deref(value[key])
        if not isinstance(response, dict):
            found.append(Response(status, "", (), at))
            continue
        headers = response.get("headers")
        names = tuple(str(name) for name in headers) if isinstance(headers, dict) else ()
        description = one_line(prose(response.get("description")))
        found.append(Response(status, description, names, at))
    return tuple(found)


def _security(value: Any) -> tuple[tuple[str, ...], ...] | None:
    if not isinstance(value, list):
        return None
    return tuple(
        tuple(str(name) for name in requirement)
        for requirement in value
        if isinstance(requirement, dict)
    )


_EXPRESSION_SPACE = re.compile(r"\s+")


def _callbacks(resolver: Resolver, value: Any, where: str) -> tuple[Callback, ...]:
    if not isinstance(value, dict):
        return ()
    found = []
    for name, callback in value.items():
        at = f"{where}/callbacks/{pointer(str(name))[2:]}"
        if isinstance(callback, dict) and isinstance(callback.get("$ref"), str):
            at = callback["$ref"]
        callback = resolver.deref(callback)
        if not isinstance(callback, dict):
            continue
        for expression, item in callback.items():
            if str(expression).startswith("x-"):
                continue
            shown = _EXPRESSION_SPACE.sub(" ", str(expression))
            item_at = f"{at}/{pointer(str(expression))[2:]}"
            for raw in _item_operations(resolver, shown, item, item_at):
                found.append(
                    Callback(str(name), shown, raw.method.upper(), summary_of(raw.node), raw.source)
                )
    return tuple(found)
