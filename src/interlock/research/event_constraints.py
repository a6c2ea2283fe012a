"""The constraints an AsyncAPI document's bindings state: partitions, QoS, queues…

A binding is the protocol-specific part of a server, channel, operation or message
(:class:`~interlock.research.event_facts.Binding`). :func:`binding_constraints` turns
those that state something into the lines of the note's Constraints section, one per
binding, naming every part that shares it.
"""

from __future__ import annotations

from collections.abc import Iterator

from interlock.research.event_facts import Binding, Channel, EventOperation, EventServer
from interlock.research.facts import Detail

__all__ = ["binding_constraints"]


def binding_constraints(
    servers: tuple[EventServer, ...],
    channels: tuple[Channel, ...],
    operations: tuple[EventOperation, ...],
) -> Iterator[Detail]:
    """Yield what the bindings state: one line per binding that states something."""
    owners: list[tuple[str, tuple[Binding, ...]]] = [
        *((f"server {s.name or s.url}", s.bindings) for s in servers),
        *((f"channel {c.address}", c.bindings) for c in channels),
        *((f"operation {o.key or o.channel}", o.bindings) for o in operations),
    ]
    seen: set[str] = set()
    for operation in operations:
        for message in operation.messages:
            if message.source not in seen:
                seen.add(message.source)
                owners.append((f"message {message.label}", message.bindings))
    # A trait's binding shared by several operations is one line naming them all.
    stated: dict[tuple[str, str], list[str]] = {}
    for owner, bindings in owners:
        for binding in bindings:
            if binding.details:
                text = ", ".join(f"{name} {value}" for name, value in binding.details)
                stated.setdefault((binding.source, f"{binding.protocol}: {text}"), []).append(owner)
    for (where, text), named in stated.items():
        protocol, _, values = text.partition(": ")
        shown = ", ".join(named[:10]) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
        yield Detail(f"{protocol} binding of {shown}: {values}", (where,))
