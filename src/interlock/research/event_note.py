"""Render the research note of an event system from ``research-asyncapi.md.j2``.

The note has the OpenAPI note's sections (:mod:`~interlock.research.notes`), so the
validator knows it, and a workspace may override its template like any other. Every
text of :class:`~interlock.research.event_facts.EventResearch` comes from the document,
so the template prints it through the functions of :func:`event_note_context`: the
OpenAPI note's quoting functions, and the cells of this module (``fields_of``,
``bindings_of``, ``protocol_of``, ``payload_of``, ``format_of``) built from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interlock.render.environment import render_template
from interlock.render.markdown_escape import Markdown
from interlock.research.constraints import counted
from interlock.research.event_facts import (
    Binding,
    EventResearch,
    EventServer,
    Message,
    PayloadField,
)
from interlock.research.event_security import describe_event_scheme, event_auth_summary
from interlock.research.notes import code, link, quote, quote_block, quote_cell, quote_heading

__all__ = [
    "EVENT_TEMPLATE",
    "bindings_of",
    "event_note_context",
    "fields_of",
    "format_of",
    "payload_of",
    "protocol_of",
    "render_event_note",
    "security_text",
]

EVENT_TEMPLATE = "research-asyncapi.md.j2"


def render_event_note(research: EventResearch, *, workspace_root: Path | None = None) -> str:
    """Return the research note of ``research``, from ``research-asyncapi.md.j2``.

    Raises:
        RenderError: the template (built-in or the workspace's) failed.
    """
    context = event_note_context(research)
    text = render_template(EVENT_TEMPLATE, context, workspace_root=workspace_root)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def event_note_context(research: EventResearch) -> dict[str, Any]:
    """Return what the template sees: the facts, and the functions that print them."""
    printers = (
        *(quote, quote_cell, quote_block, quote_heading, code, link, counted),
        *(security_text, fields_of, bindings_of, protocol_of, payload_of, format_of),
    )
    functions: dict[str, Callable[..., Any]] = {printer.__name__: printer for printer in printers}
    functions.update(describe=describe_event_scheme, auth_summary=event_auth_summary)
    return {"research": research, **functions}


def security_text(security: tuple[tuple[str, ...], ...] | None) -> str:
    """Return what a server or operation accepts: ``sasl or oauth``, ``as the server``."""
    if security is None:
        return "as the server"
    alternatives = [" + ".join(names) if names else "none" for names in security]
    return " or ".join(alternatives) if alternatives else "none"


def fields_of(fields: tuple[PayloadField, ...]) -> Markdown:
    """Return a cell of fields: each name, with its type and whether it is required."""
    shown = [
        f"{code(f.name, cell=True)}"
        + (f" ({quote_cell(f.type)}" if f.type else " (")
        + (", required)" if f.required else ")")
        for f in fields
    ]
    return Markdown(", ".join(part.replace(" ()", "") for part in shown) or "none")


def protocol_of(server: EventServer) -> Markdown:
    """Return the Protocol cell of a server: the protocol and its version."""
    if not server.protocol:
        return Markdown("not stated")
    version = f" {quote_cell(server.protocol_version)}" if server.protocol_version else ""
    return Markdown(f"{code(server.protocol, cell=True)}{version}")


def payload_of(message: Message) -> Markdown:
    """Return the Payload cell of a message: its fields, else its type."""
    if message.payload:
        return fields_of(message.payload)
    return quote_cell(message.payload_type) if message.payload_type else Markdown("not stated")


def format_of(message: Message) -> Markdown:
    """Return the Format cell of a message: its content type and correlation id."""
    shown = code(message.content_type, cell=True) if message.content_type else "not stated"
    if message.correlation_id:
        shown += f"; correlation id at {code(message.correlation_id, cell=True)}"
    return Markdown(shown)


def bindings_of(bindings: tuple[Binding, ...]) -> Markdown:
    """Return a Bindings cell: each protocol, with the details it states."""
    shown = []
    for binding in bindings:
        details = ", ".join(
            f"{code(name, cell=True)} {quote_cell(value)}" for name, value in binding.details
        )
        shown.append(f"{code(binding.protocol, cell=True)}" + (f" ({details})" if details else ""))
    return Markdown("; ".join(shown) or "none")
