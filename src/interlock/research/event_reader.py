"""Read the servers, channels, security and bindings of a bundled AsyncAPI document.

:class:`EventReader` walks the document as it is written, following local ``$ref``\\ s
and merging traits, and turns each part research needs into a fact of
:mod:`~interlock.research.event_facts`: the system, its servers (brokers), the
security requirements and schemes, the channels and their parameters, and the bindings
of each. Operations and messages are read by :mod:`~interlock.research.event_operations`
through the same reader. A part it cannot read is kept in :attr:`EventReader.problems`
(where, and what AsyncAPI expects there), never raised.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any

from interlock.research.conformance import Problem
from interlock.research.environments import environment_of
from interlock.research.event_facts import (
    Binding,
    Channel,
    EventOperation,
    EventServer,
    PayloadField,
)
from interlock.research.event_security import SCHEME_TYPES
from interlock.research.event_values import (
    line_of,
    list_of,
    mapping_of,
    paragraph_of,
    pointer_of,
    ref_steps,
    type_name,
)
from interlock.research.facts import AuthScheme, Link, OAuthFlow, System
from interlock.research.operations import text_of
from interlock.safe_yaml import PathKey

__all__ = ["EventReader"]

# A few fields of each binding that matter to an integration; values that are schemas
# (a client id's allowed values) are shown by their enum or type.
_BINDING_FIELDS: Mapping[str, tuple[str, ...]] = {
    "kafka": ("topic", "partitions", "replicas", "groupId", "clientId", "key"),
    "amqp": (
        "is",
        "exchange.name",
        "exchange.type",
        "queue.name",
        "queue.durable",
        "deliveryMode",
        "ack",
        "expiration",
    ),
    "mqtt": ("qos", "retain", "clientId", "cleanSession", "keepAlive", "messageExpiryInterval"),
    "mqtt5": ("sessionExpiryInterval",),
    "ws": ("method",),
    "http": ("type", "method"),
    "nats": ("queue",),
    "jms": ("destination", "destinationType"),
    "sqs": ("queue.name", "queue.fifoQueue"),
    "sns": ("name",),
    "googlepubsub": ("topic",),
    "pulsar": ("namespace", "persistence"),
}


class EventReader:
    """Walks one bundled AsyncAPI document: the facts, and the parts it cannot read."""

    def __init__(self, data: dict[str, Any], family: str) -> None:
        self.data = data
        self.family = family
        self.problems: list[Problem] = []
        """The parts read so far that cannot be read as AsyncAPI describes them."""
        # Where each field a trait gave a merged operation or message came from.
        self._from_traits: dict[int, dict[str, PathKey]] = {}

    def place(self, node: dict[str, Any], key: str, path: PathKey) -> PathKey:
        """Return where ``node``'s field ``key`` is: in ``node`` at ``path``, or in a trait."""
        return self._from_traits.get(id(node), {}).get(key, (*path, key))

    def follow(self, node: Any, path: PathKey) -> tuple[Any, PathKey]:
        """Return what ``node`` (at ``path``) stands for and where it is; None if nothing."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                return None, path
            seen.add(ref)
            path = ref_steps(ref)
            node = self._at(path)
        return node, path

    def _at(self, path: PathKey) -> Any:
        node: Any = self.data
        for step in path:
            if isinstance(node, dict):
                node = node.get(step)
            elif isinstance(node, list) and str(step).isdigit() and int(step) < len(node):
                node = node[int(step)]
            else:
                return None
        return node

    def mapping(self, node: Any, path: PathKey, what: str) -> tuple[dict[str, Any], PathKey]:
        """Return the mapping ``node`` stands for; a problem and ``{}`` if it is not one."""
        value, where = self.follow(node, path)
        if isinstance(value, dict):
            return value, where
        if value is not None or not (isinstance(node, dict) and "$ref" in node):
            self.problems.append((where, f"{what} must be a mapping"))
        return {}, where

    def entries(self, path: PathKey, what: str) -> Iterator[tuple[str, dict[str, Any], PathKey]]:
        """Yield each named entry of the mapping at ``path`` that is a mapping itself."""
        container = self._at(path)
        if container is None:
            return
        if not isinstance(container, dict):
            self.problems.append((path, f"must be a mapping of {what}s"))
            return
        for key, node in container.items():
            value, where = self.mapping(node, (*path, key), f"a {what}")
            if value:
                yield key, value, where

    def check_required(self) -> None:
        """Add a problem for each required top-level field the document lacks."""
        info = self.data.get("info")
        if not isinstance(info, dict):
            self.problems.append(((), "lacks the required field 'info', a mapping"))
        else:
            for name in ("title", "version"):
                if name not in info:
                    self.problems.append((("info",), f"lacks the required field '{name}'"))
        if self.family == "2" and "channels" not in self.data:
            self.problems.append(((), "lacks the required field 'channels'"))

    def system(self, name: str | None, source: str, *, file_name: str, spec: str) -> System:
        """Return the system as the document describes itself.

        Args:
            name: what the interview calls the system; the document's title if None.
            source: how the note names the document.
            file_name: the document's file name, the system's name as a last resort.
            spec: the specification and version, such as ``AsyncAPI 2.6.0``.
        """
        info = self.data.get("info") if isinstance(self.data.get("info"), dict) else {}
        assert isinstance(info, dict)
        title = line_of(info.get("title"))
        contact = info.get("contact") if isinstance(info.get("contact"), dict) else {}
        licence = info.get("license") if isinstance(info.get("license"), dict) else {}
        assert isinstance(contact, dict) and isinstance(licence, dict)
        docs = self.data.get("externalDocs")
        docs = docs if isinstance(docs, dict) else info.get("externalDocs")  # 3.x: in info
        links = [
            Link(line_of(docs.get("description")) or "Documentation", text_of(docs.get("url")))
            if isinstance(docs, dict)
            else None,
            Link("Terms", text_of(info.get("termsOfService"))),
            Link("Support", text_of(contact.get("url"))),
            Link("License", text_of(licence.get("url"))),
        ]
        who = " ".join(line_of(contact.get(key)) for key in ("name", "email") if contact.get(key))
        return System(
            name=name or title or PurePath(file_name).stem,
            title=title,
            version=line_of(info.get("version")),
            summary=line_of(info.get("summary")),
            description=paragraph_of(info.get("description")),
            spec=spec,
            source=source,
            source_name=file_name,
            links=tuple(item for item in links if item is not None and item.url),
            contact=who,
            license=line_of(licence.get("name")),
        )

    def servers(self) -> Iterator[EventServer]:
        """Yield each server (broker) the document names."""
        for name, node, path in self._server_entries():
            url = text_of(node.get("url"))
            if self.family == "3":
                url = text_of(node.get("host")) + text_of(node.get("pathname"))
            protocol = text_of(node.get("scheme" if self.family == "1" else "protocol"))
            if not url or not protocol:
                needed = {"1": "url and scheme", "2": "url and protocol"}.get(
                    self.family, "host and protocol"
                )
                self.problems.append((path, f"a server needs its {needed}"))
            description = line_of(node.get("description") or node.get("title"))
            tags = " ".join(
                text_of(t.get("name")) for t in list_of(node.get("tags")) if isinstance(t, dict)
            )
            variables = tuple(
                (key, text_of(value.get("default")) if isinstance(value, dict) else "")
                for key, value in mapping_of(node.get("variables")).items()
            )
            yield EventServer(
                name=name if self.family != "1" else "",
                url=url,
                protocol=protocol,
                protocol_version=text_of(
                    node.get("schemeVersion" if self.family == "1" else "protocolVersion")
                ),
                description=description,
                environment=environment_of(f"{name} {description} {tags} {url}"),
                variables=variables,
                security=self.security(
                    self.data.get("security") if self.family == "1" else node.get("security"),
                    ("security",) if self.family == "1" else (*path, "security"),
                )
                or (),
                bindings=self.bindings(node, path),
                source=pointer_of(path),
            )

    def _server_entries(self) -> Iterator[tuple[str, dict[str, Any], PathKey]]:
        if self.family != "1":
            yield from self.entries(("servers",), "server")
            return
        # 1.x: a list of servers, without names.
        for index, raw in enumerate(list_of(self.data.get("servers"))):
            node, path = self.mapping(raw, ("servers", str(index)), "a server")
            if node:
                yield str(index), node, path

    def security(self, raw: Any, path: PathKey) -> tuple[tuple[str, ...], ...] | None:
        """Return security requirements: alternatives, each the schemes used together."""
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.problems.append((path, "must be a list of security requirements"))
            return None
        alternatives: list[tuple[str, ...]] = []
        for index, item in enumerate(raw):
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                alternatives.append((ref_steps(item["$ref"])[-1] if item["$ref"] != "#" else "",))
            elif isinstance(item, dict) and self.family == "3":
                alternatives.append(
                    (text_of(item.get("name")) or f"inline {text_of(item.get('type'))}",)
                )
            elif isinstance(item, dict):
                alternatives.append(tuple(str(key) for key in item))
            else:
                self.problems.append(((*path, str(index)), "must be a mapping"))
        return tuple(alternatives)

    def bindings(self, node: dict[str, Any], path: PathKey) -> tuple[Binding, ...]:
        """Return the bindings of a server, channel, operation or message."""
        if "bindings" not in node:
            return ()
        place = self.place(node, "bindings", path)
        found, where = self.mapping(node["bindings"], place, "bindings")
        result: list[Binding] = []
        for protocol, raw in found.items():
            value, place = self.follow(raw, (*where, protocol))
            details: list[tuple[str, str]] = []
            for dotted in _BINDING_FIELDS.get(protocol, ()):
                shown = _binding_value(value, dotted.split("."))
                if shown:
                    details.append((dotted, shown))
            result.append(Binding(protocol, tuple(details), pointer_of(place)))
        return tuple(result)

    def channels(self) -> Iterator[Channel]:
        """Yield each channel (1.x: topic) in the document's order."""
        key = "topics" if self.family == "1" else "channels"
        for name, node, path in self.entries((key,), "channel"):
            address = text_of(node.get("address")) or name if self.family == "3" else name
            parameters = tuple(self.parameters(node, path))
            servers = tuple(
                ref_steps(item["$ref"])[-1]
                if isinstance(item, dict) and "$ref" in item
                else text_of(item)
                for item in list_of(node.get("servers"))
            )
            yield Channel(
                key=name,
                address=address,
                description=paragraph_of(node.get("description") or node.get("summary")),
                parameters=parameters,
                bindings=self.bindings(node, path),
                servers=servers,
                source=pointer_of(path),
            )

    def parameters(self, channel: dict[str, Any], path: PathKey) -> Iterator[PayloadField]:
        """Yield the parameters of a channel's address."""
        for name, node, where in self.entries((*path, "parameters"), "parameter"):
            schema, _ = self.follow(node.get("schema"), (*where, "schema"))
            kind = type_name(schema) if isinstance(schema, dict) else "string"
            yield PayloadField(
                name, kind, True, line_of(node.get("description")), pointer_of(where)
            )

    def with_traits(self, node: dict[str, Any], path: PathKey) -> dict[str, Any]:
        """Return ``node`` with the fields of its traits it does not set itself."""
        merged = dict(node)
        origins: dict[str, PathKey] = {}
        for index, raw in enumerate(list_of(node.get("traits"))):
            trait, where = self.mapping(raw, (*path, "traits", str(index)), "a trait")
            for key, value in trait.items():
                if key not in merged:
                    merged[key] = value
                    origins[key] = (*where, key)
        if origins:
            self._from_traits[id(merged)] = origins
        return merged

    def schemes(
        self,
        servers: tuple[EventServer, ...] | tuple[()],
        operations: tuple[EventOperation, ...] | tuple[()],
    ) -> Iterator[AuthScheme]:
        """Yield each security scheme, with how many operations accept it."""
        server_schemes = {name for server in servers for names in server.security for name in names}
        for key, node, path in self.entries(("components", "securitySchemes"), "security scheme"):
            kind = text_of(node.get("type"))
            if kind not in SCHEME_TYPES:
                self.problems.append(
                    ((*path, "type"), "must be one of " + ", ".join(sorted(SCHEME_TYPES)))
                )
            accepted = sum(
                1
                for op in operations
                if (
                    key in server_schemes
                    if op.security is None
                    else any(key in names for names in op.security)
                )
            )
            yield AuthScheme(
                key=key,
                type=kind,
                description=line_of(paragraph_of(node.get("description"))),
                location=text_of(node.get("in")),
                parameter=text_of(node.get("name")),
                http_scheme=text_of(node.get("scheme")),
                bearer_format=text_of(node.get("bearerFormat")),
                flows=tuple(_flows(node.get("flows"))),
                openid_url=text_of(node.get("openIdConnectUrl")),
                operations=accepted,
                source=pointer_of(path),
            )


def _flows(raw: Any) -> Iterator[OAuthFlow]:
    for kind, flow in mapping_of(raw).items():
        if not isinstance(flow, dict):
            continue
        scopes = mapping_of(flow.get("availableScopes", flow.get("scopes")))
        yield OAuthFlow(
            kind=kind,
            authorization_url=text_of(flow.get("authorizationUrl")),
            token_url=text_of(flow.get("tokenUrl")),
            refresh_url=text_of(flow.get("refreshUrl")),
            scopes=tuple((str(name), line_of(text)) for name, text in scopes.items()),
        )


def _binding_value(value: Any, steps: list[str]) -> str:
    for step in steps:
        value = value.get(step) if isinstance(value, dict) else None
    if isinstance(value, dict):
        if isinstance(value.get("enum"), list):
            return "one of " + ", ".join(text_of(item) for item in value["enum"][:10])
        if "const" in value:
            return text_of(value["const"])
        return text_of(value.get("type"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return line_of(value, 80)
