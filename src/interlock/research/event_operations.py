"""Read the operations of an AsyncAPI document and the messages they carry.

In 1.x and 2.x an operation sits on its channel as ``subscribe`` (the system sends) or
``publish`` (the system receives); in 1.x it is the message itself. In 3.x operations
are listed under ``operations`` and say ``send`` or ``receive``, naming their channel
and messages by reference. :func:`read_operations` reads either form into
:class:`~interlock.research.event_facts.EventOperation`\\ s, with each message's
payload and headers as their top-level fields, through an
:class:`~interlock.research.event_reader.EventReader` that keeps what it cannot read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from interlock.research.event_facts import EventOperation, Message, PayloadField
from interlock.research.event_reader import EventReader
from interlock.research.event_values import (
    line_of,
    list_of,
    mapping_of,
    pointer_of,
    ref_steps,
    type_name,
)
from interlock.research.operations import text_of
from interlock.safe_yaml import PathKey

__all__ = ["read_operations"]

_MAX_FIELDS = 60


def read_operations(reader: EventReader) -> Iterator[EventOperation]:
    """Yield each operation: per channel in 1.x and 2.x, from ``operations`` in 3.x."""
    if reader.family == "3":
        yield from _operations_3(reader)
        return
    key = "topics" if reader.family == "1" else "channels"
    for name, channel, path in reader.entries((key,), "channel"):
        for verb in [verb for verb in channel if verb in ("subscribe", "publish")]:
            where = (*path, verb)
            node, where = reader.mapping(channel[verb], where, "an operation")
            if not node:
                continue
            action = "send" if verb == "subscribe" else "receive"
            if reader.family == "1":
                # 1.x: the operation is the message itself.
                messages = tuple(_messages(reader, node, where, fallback=name))
                yield EventOperation(
                    "",
                    action,
                    name,
                    line_of(node.get("summary")),
                    messages,
                    source=pointer_of(where),
                )
                continue
            node = reader.with_traits(node, where)
            messages = ()
            if "message" in node:
                messages = tuple(_messages(reader, node["message"], (*where, "message")))
            yield EventOperation(
                key=text_of(node.get("operationId")),
                action=action,
                channel=name,
                summary=line_of(node.get("summary") or node.get("description")),
                messages=messages,
                security=reader.security(
                    node.get("security"), reader.place(node, "security", where)
                ),
                bindings=reader.bindings(node, where),
                source=pointer_of(where),
            )


def _operations_3(reader: EventReader) -> Iterator[EventOperation]:
    for key, raw, where in reader.entries(("operations",), "operation"):
        node = reader.with_traits(raw, where)
        action = text_of(node.get("action"))
        if action not in ("send", "receive"):
            reader.problems.append(((*where, "action"), "must be one of send, receive"))
        channel, channel_path = reader.follow(node.get("channel"), (*where, "channel"))
        if not isinstance(channel, dict):
            reader.problems.append(((*where, "channel"), "must be a reference to a channel"))
            channel = {}
        address = text_of(channel.get("address")) or (str(channel_path[-1]) if channel else "")
        refs = node.get("messages")
        if refs is None:
            refs = [
                {"$ref": pointer_of((*channel_path, "messages", name))}
                for name in mapping_of(channel.get("messages"))
            ]
        messages: list[Message] = []
        for index, ref in enumerate(list_of(refs)):
            messages += _messages(reader, ref, (*where, "messages", str(index)))
        yield EventOperation(
            key=key,
            action=action,
            channel=address,
            summary=line_of(node.get("summary") or node.get("title") or node.get("description")),
            messages=tuple(messages),
            security=reader.security(node.get("security"), reader.place(node, "security", where)),
            bindings=reader.bindings(node, where),
            source=pointer_of(where),
        )


def _messages(
    reader: EventReader, raw: Any, path: PathKey, fallback: str = ""
) -> Iterator[Message]:
    """Yield the message ``raw`` stands for, or each of its ``oneOf``."""
    ref = raw.get("$ref") if isinstance(raw, dict) else None
    node, where = reader.mapping(raw, path, "a message")
    if not node:
        return
    if isinstance(node.get("oneOf"), list):
        for index, item in enumerate(node["oneOf"]):
            yield from _messages(reader, item, (*where, "oneOf", str(index)), fallback)
        return
    node = reader.with_traits(node, where)
    key = ref_steps(ref)[-1] if isinstance(ref, str) and ref.startswith("#/") else ""
    payload, kind = _payload(reader, node, where)
    headers, _ = _fields(
        reader, *reader.follow(node.get("headers"), reader.place(node, "headers", where))
    )
    correlation, _ = reader.follow(node.get("correlationId"), (*where, "correlationId"))
    yield Message(
        key=key or text_of(node.get("messageId")) or fallback,
        name=line_of(node.get("name")),
        title=line_of(node.get("title")),
        summary=line_of(node.get("summary") or node.get("description")),
        content_type=text_of(node.get("contentType") or reader.data.get("defaultContentType")),
        payload=payload,
        payload_type=kind,
        headers=headers,
        correlation_id=text_of(correlation.get("location"))
        if isinstance(correlation, dict)
        else "",
        bindings=reader.bindings(node, where),
        source=pointer_of(where),
    )


def _payload(
    reader: EventReader, message: dict[str, Any], path: PathKey
) -> tuple[tuple[PayloadField, ...], str]:
    """Return the top-level fields of a message's payload, and its type."""
    schema, where = reader.follow(message.get("payload"), (*path, "payload"))
    form = text_of(message.get("schemaFormat"))
    if reader.family == "3" and isinstance(schema, dict) and "schema" in schema:
        form = text_of(schema.get("schemaFormat"))
        schema, where = reader.follow(schema["schema"], (*where, "schema"))
    if form and not form.startswith(("application/vnd.aai.asyncapi", "application/schema")):
        return (), f"a schema in {form}"
    return _fields(reader, schema, where)


def _fields(
    reader: EventReader, schema: Any, path: PathKey
) -> tuple[tuple[PayloadField, ...], str]:
    """Return the top-level properties of ``schema`` (and of its ``allOf``), and its type."""
    if not isinstance(schema, dict):
        return (), ""
    parts = [(schema, path)]
    for index, item in enumerate(list_of(schema.get("allOf"))):
        part, where = reader.follow(item, (*path, "allOf", str(index)))
        if isinstance(part, dict):
            parts.append((part, where))
    required = {str(name) for part, _ in parts for name in list_of(part.get("required"))}
    found: dict[str, PayloadField] = {}
    for part, where in parts:
        for name, raw in mapping_of(part.get("properties")).items():
            if name in found or len(found) >= _MAX_FIELDS:
                continue
            ref = raw.get("$ref") if isinstance(raw, dict) else None
            value, place = reader.follow(raw, (*where, "properties", name))
            kind = type_name(value) if isinstance(value, dict) else ""
            if not kind and isinstance(ref, str):
                kind = ref_steps(ref)[-1] if ref.startswith("#/") else ""
            described = line_of(value.get("description")) if isinstance(value, dict) else ""
            found[name] = PayloadField(name, kind, name in required, described, pointer_of(place))
    return tuple(found.values()), type_name(schema)
