"""The facts research reads from an AsyncAPI document, as plain frozen data.

An AsyncAPI document describes an application that talks through a broker or a
socket: its servers (brokers), channels (topics, queues, routing keys), the
operations it performs on them and the messages those carry. The system, its security
schemes and their OAuth flows are the OpenAPI facts' own
(:class:`~interlock.research.facts.System`, :class:`~interlock.research.facts.AuthScheme`).

As there, every text is copied from the document and is user data that whoever prints
it escapes, and a fact's ``source`` is a JSON pointer into the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from interlock.research.conformance import DocumentWarning
from interlock.research.facts import AuthScheme, Detail, Gap, System

__all__ = [
    "Binding",
    "Channel",
    "EventOperation",
    "EventResearch",
    "EventServer",
    "Message",
    "PayloadField",
]


@dataclass(frozen=True, slots=True)
class PayloadField:
    """One top-level field of a payload or of headers, or one channel parameter."""

    name: str
    type: str
    """``string``, ``integer``, ``array of string``, a schema's name…; ``""`` if unknown."""
    required: bool
    description: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Binding:
    """The protocol-specific part of a server, channel, operation or message."""

    protocol: str
    """``kafka``, ``amqp``, ``mqtt``, ``ws``, ``http``…"""
    details: tuple[tuple[str, str], ...]
    """A few key fields and their values: ``topic``, ``partitions``, ``exchange.name``, ``qos``."""
    source: str = ""


@dataclass(frozen=True, slots=True)
class EventServer:
    """One broker or endpoint of the system."""

    name: str
    url: str
    """The URL (AsyncAPI 1.x and 2.x) or host and path (3.x) as written."""
    protocol: str
    protocol_version: str
    description: str
    environment: str
    """``production``, ``sandbox``, ``staging``, ``test``, ``development``, ``mock`` or ``""``."""
    variables: tuple[tuple[str, str], ...] = ()
    security: tuple[tuple[str, ...], ...] = ()
    """Alternatives, each the schemes used together; ``()`` when none is stated."""
    bindings: tuple[Binding, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """One kind of message on a channel."""

    key: str
    """Its name in ``components.messages`` or in the channel, else its ``name``."""
    name: str
    title: str
    summary: str
    content_type: str
    payload: tuple[PayloadField, ...]
    payload_type: str
    """The payload's type: ``object``, ``string``…, a schema format, or ``""`` if unknown."""
    headers: tuple[PayloadField, ...] = ()
    correlation_id: str = ""
    """Where the correlation id is, e.g. ``$message.header#/correlationId``."""
    bindings: tuple[Binding, ...] = ()
    source: str = ""

    @property
    def label(self) -> str:
        """Return the message's name, title or key: the first the document gives."""
        return self.name or self.title or self.key


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel: a topic, queue, routing key or socket path."""

    key: str
    """Its key under ``channels`` (``topics`` in 1.x)."""
    address: str
    """Where messages go: the 3.x ``address``, else the key."""
    description: str
    parameters: tuple[PayloadField, ...] = ()
    bindings: tuple[Binding, ...] = ()
    servers: tuple[str, ...] = ()
    """The servers it is available on; ``()`` means all of them."""
    source: str = ""


@dataclass(frozen=True, slots=True)
class EventOperation:
    """What the system does on a channel: send messages, or receive them."""

    key: str
    """Its ``operationId`` (its key in 3.x), or ``""``."""
    action: str
    """``send`` when the system sends the messages (so we receive them: AsyncAPI 2.x
    ``subscribe``), ``receive`` when it receives them from us (2.x ``publish``)."""
    channel: str
    """The channel's address."""
    summary: str
    messages: tuple[Message, ...]
    security: tuple[tuple[str, ...], ...] | None = None
    """Alternatives, each the schemes used together; ``None`` when the servers' apply."""
    bindings: tuple[Binding, ...] = ()
    deprecated: bool = False
    source: str = ""

    @property
    def direction(self) -> str:
        """Return who sends and who receives, in the integration's words."""
        if self.action == "send":
            return "the system sends, we receive"
        return "we send, the system receives"


@dataclass(frozen=True, slots=True)
class EventResearch:
    """Everything read from one AsyncAPI document."""

    system: System
    servers: tuple[EventServer, ...]
    auth: tuple[AuthScheme, ...]
    """Security schemes; ``type`` keeps AsyncAPI's name (``scramSha256``, ``X509``…)."""
    channels: tuple[Channel, ...]
    operations: tuple[EventOperation, ...]
    constraints: tuple[Detail, ...]
    """What the bindings state about delivery: partitions, QoS, retention…"""
    gaps: tuple[Gap, ...]
    unresolved: tuple[str, ...]
    """One line per reference not followed: what, where, why."""
    warnings: tuple[DocumentWarning, ...] = ()
    """The parts of the document that could not be read as AsyncAPI describes them."""
    warnings_total: int = 0

    @property
    def messages(self) -> tuple[Message, ...]:
        """Return each message once, in the order operations name them."""
        seen: dict[str, Message] = {}
        for operation in self.operations:
            for message in operation.messages:
                seen.setdefault(message.source or message.key, message)
        return tuple(seen.values())
