"""The system-context view of an integration: who talks to whom, which way, and how.

Drawn from the answers alone, one flow per thing said:

=================  ==================================================================
system             flows
=================  ==================================================================
third-party API    we call it (request and reply); it calls us back when the
                   answers say it sends webhooks
internal service   we call it over the protocol answered; through messages when the
                   answer is a queue or event bus
database           per table: read (it to us), write (us to it), or both, as the
                   table's line says ("orders (read/write)")
queue              per queue or topic: published (us to it) or consumed (it to us),
                   as the line says ("order.paid (publish)")
file transfer      files exchanged; the direction is not asked
=================  ==================================================================

A flow whose direction nobody stated is drawn without an arrowhead and says so; a
protocol or a delivery guarantee still open says that too. Nothing is assumed.

The view is rendered as a Mermaid flowchart (in ``integration-points.md`` and by
``interlock graph --view systems``), as Graphviz DOT, or as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from interlock.model.integration import Integration, OpenQuestion, System, SystemKind
from interlock.workspace.graph_formats import dot_label, mermaid_label

__all__ = [
    "Flow",
    "SystemContext",
    "calls_us",
    "context_dot",
    "context_json",
    "context_mermaid",
    "system_context",
]

SYNC = "sync"
ASYNC = "async"

# Words of a table's or topic's line that say which way the data goes.
_OUT = re.compile(r"\b(publish\w*|produc\w*|send\w*|emit\w*|writ\w*|insert\w*|updat\w*)\b", re.I)
_IN = re.compile(r"\b(consum\w*|subscrib\w*|receiv\w*|listen\w*|read\w*|select\w*)\b", re.I)
_NOTE = re.compile(r"\s*\(([^()]*)\)\s*$")
_OPEN = "open question"
_DIRECTION_WORDS = {
    "outbound": "from us to it",
    "inbound": "from it to us",
    "both": "both ways",
    "not stated": "direction not stated",
}


@dataclass(frozen=True, slots=True)
class Flow:
    """One flow between the integration and a system."""

    system: str
    """The system's name."""
    outbound: bool
    """Data goes from us to the system (with :attr:`inbound`: both ways)."""
    inbound: bool
    """Data comes from the system to us; neither flag: the direction was not stated."""
    mode: str
    """``sync``, ``async``, or ``""`` when it was not stated."""
    what: str
    """What flows, in a few words: ``calls its API``, ``order.paid``."""
    protocol: str = ""

    @property
    def label(self) -> str:
        """Return the words on the flow's line: what, protocol, mode, or what is open."""
        parts = [self.what]
        if self.protocol:
            parts.append(self.protocol)
        if self.mode:
            parts.append(self.mode)
        if not (self.outbound or self.inbound):
            parts.append("direction not stated")
        return ", ".join(parts)

    @property
    def direction(self) -> str:
        """``outbound``, ``inbound``, ``both`` or ``not stated``."""
        if self.outbound and self.inbound:
            return "both"
        if self.outbound or self.inbound:
            return "outbound" if self.outbound else "inbound"
        return "not stated"

    @property
    def direction_words(self) -> str:
        """The direction as documents say it: ``from us to it``, ``both ways``."""
        return _DIRECTION_WORDS[self.direction]

    def to_dict(self) -> dict[str, Any]:
        """Return the flow as JSON data."""
        return {
            "system": self.system,
            "direction": self.direction,
            "mode": self.mode or "not stated",
            "what": self.what,
            "protocol": self.protocol,
        }


@dataclass(frozen=True, slots=True)
class SystemContext:
    """The integration, the systems it talks to, and the flows between them."""

    title: str
    systems: tuple[tuple[str, str], ...]
    """Each system's name and kind, in the order they were named."""
    flows: tuple[Flow, ...]
    systems_open: bool = False
    """The list of systems is itself an open question."""


def system_context(integration: Integration) -> SystemContext:
    """Return the system-context view of ``integration``, from its answers alone."""
    systems = integration.known_systems
    return SystemContext(
        integration.title,
        tuple((system.name, system.kind.label) for system in systems),
        tuple(flow for system in systems for flow in _flows(system)),
        systems_open=isinstance(integration.systems, OpenQuestion),
    )


def _flows(system: System) -> Iterator[Flow]:
    name = system.name
    if system.kind is SystemKind.EXTERNAL_API:
        yield Flow(name, True, True, SYNC, "calls its API", "request and reply")
        if calls_us(system):
            yield Flow(name, False, True, ASYNC, "webhooks", "HTTP callbacks")
        elif isinstance(system.callbacks, OpenQuestion):
            yield Flow(name, False, False, ASYNC, f"webhooks: {_OPEN}", "HTTP callbacks")
    elif system.kind is SystemKind.INTERNAL_SERVICE:
        protocol = _fact(system.protocol)
        messages = "messag" in protocol.lower() or "queue" in protocol.lower()
        mode = ASYNC if messages else SYNC if isinstance(system.protocol, str) else ""
        yield Flow(name, True, not messages, mode, "calls", protocol or _unstated(system.protocol))
    elif system.kind is SystemKind.DATABASE:
        yield from _lines(name, system.tables, SYNC, "tables")
    elif system.kind is SystemKind.QUEUE:
        delivery = _fact(system.delivery)
        yield from _lines(name, system.topics, ASYNC, "topics", protocol=delivery)
    else:
        yield Flow(name, False, False, "", "files", _fact(system.transfer))


def _lines(name: str, items: Any, mode: str, what: str, *, protocol: str = "") -> Iterator[Flow]:
    """Yield one flow per table or topic, its direction read from its own line."""
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        yield Flow(name, False, False, mode, f"{what}: {_unstated(items)}", protocol)
        return
    for item in items:
        text = str(item)
        note = _NOTE.search(text)
        said = note.group(1) if note else text
        subject = text[: note.start()].strip() if note else text.strip()
        yield Flow(
            name,
            bool(_OUT.search(said)),
            bool(_IN.search(said)),
            mode,
            subject or text,
            protocol,
        )


def calls_us(system: System) -> bool:
    """Tell whether the answers say ``system`` calls us (webhooks, callbacks).

    A no, or an open question, to "does it call us?" is not a yes. Otherwise the
    description of its webhooks, when there is one, must not deny it ("No inbound
    calls"); without one, the yes decides.
    """
    if system.callbacks is False or isinstance(system.callbacks, OpenQuestion):
        return False
    if isinstance(system.webhooks, str):
        return _says_yes(system.webhooks)
    return system.callbacks is True


def _says_yes(value: Any) -> bool:
    """Tell whether an answer says a system sends webhooks (a yes, or a description)."""
    if value is True:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip().lower()
    return bool(text) and not re.match(r"(no|none|not|never|n/a)\b", text)


def _fact(value: Any) -> str:
    if isinstance(value, str):
        return value
    return _OPEN if isinstance(value, OpenQuestion) else ""


def _unstated(value: Any) -> str:
    return _OPEN if isinstance(value, OpenQuestion) else "not stated"


# -- rendering ---------------------------------------------------------------------------


def context_mermaid(contexts: SystemContext | Sequence[SystemContext]) -> str:
    """Return a Mermaid flowchart of one or more integrations and their systems.

    A system several integrations talk to is drawn once, so a workspace's view shows
    which integrations share it.
    """
    views = _views(contexts)
    lines = ["flowchart LR"]
    ours, theirs = _nodes(views)
    for index, context in enumerate(views):
        lines.append(f'  {ours[index]}(["{mermaid_label(context.title)}<br/>this integration"])')
        if context.systems_open:
            lines.append(f"  %% {mermaid_label(context.title)}: the list of systems is open")
    for (name, kind), node in theirs.items():
        lines.append(f'  {node}["{mermaid_label(name)}<br/>{mermaid_label(kind)}"]')
    for us, node, flow in _edges(views, ours, theirs):
        label = mermaid_label(flow.label)
        if flow.outbound and flow.inbound:
            lines.append(f'  {us} <-->|"{label}"| {node}')
        elif flow.outbound:
            lines.append(f'  {us} -->|"{label}"| {node}')
        elif flow.inbound:
            lines.append(f'  {node} -->|"{label}"| {us}')
        else:
            lines.append(f'  {us} ---|"{label}"| {node}')
    return "\n".join(lines) + "\n"


def context_dot(contexts: SystemContext | Sequence[SystemContext]) -> str:
    """Return a Graphviz DOT digraph of one or more integrations and their systems."""
    views = _views(contexts)
    lines = [
        "digraph system_context {",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    ours, theirs = _nodes(views)
    for index, context in enumerate(views):
        lines.append(
            f'  {ours[index]} [label="{dot_label(context.title)}\\nthis integration", '
            'style="rounded,bold"];'
        )
    for (name, kind), node in theirs.items():
        lines.append(f'  {node} [label="{dot_label(name)}\\n{dot_label(kind)}"];')
    for us, node, flow in _edges(views, ours, theirs):
        label = dot_label(flow.label)
        if flow.outbound and flow.inbound:
            lines.append(f'  {us} -> {node} [label="{label}", dir=both];')
        elif flow.inbound:
            lines.append(f'  {node} -> {us} [label="{label}"];')
        elif flow.outbound:
            lines.append(f'  {us} -> {node} [label="{label}"];')
        else:
            lines.append(f'  {us} -> {node} [label="{label}", dir=none, style=dashed];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def context_json(contexts: Iterable[SystemContext]) -> str:
    """Return the system-context views as JSON."""
    payload = [
        {
            "integration": context.title,
            "systems": [{"name": name, "kind": kind} for name, kind in context.systems],
            "systems_open": context.systems_open,
            "flows": [flow.to_dict() for flow in context.flows],
        }
        for context in contexts
    ]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _edges(
    views: Sequence[SystemContext], ours: Sequence[str], theirs: dict[tuple[str, str], str]
) -> Iterator[tuple[str, str, Flow]]:
    """Yield each flow with the nodes of its integration and of its system."""
    for us, context in zip(ours, views, strict=True):
        kinds = dict(context.systems)
        for flow in context.flows:
            yield us, theirs[(flow.system, kinds[flow.system])], flow


def _views(contexts: SystemContext | Sequence[SystemContext]) -> list[SystemContext]:
    return [contexts] if isinstance(contexts, SystemContext) else list(contexts)


def _nodes(
    views: Sequence[SystemContext],
) -> tuple[list[str], dict[tuple[str, str], str]]:
    """Return the node of each integration, and of each system (by name and kind)."""
    ours = [f"i{index}" for index in range(1, len(views) + 1)]
    theirs: dict[tuple[str, str], str] = {}
    for context in views:
        for system in context.systems:
            theirs.setdefault(system, f"s{len(theirs) + 1}")
    return ours, theirs
