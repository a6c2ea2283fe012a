"""Reading AsyncAPI documents: loading, the event facts, and the research note.

The vendors' published examples are read from ``$INTERLOCK_VENDOR_DOCS`` (default
``/tmp/vendors``) and never copied into the repository; those tests skip without them.
The rest use small documents written here.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.errors import InputError, UsageError
from interlock.research.asyncapi import (
    describe_event_scheme,
    extract_events,
    load_asyncapi,
    render_event_note,
)
from interlock.research.event_facts import EventResearch
from interlock.validate.runner import ConfigRequest, validate_paths

VENDORS = Path(os.environ.get("INTERLOCK_VENDOR_DOCS", "/tmp/vendors"))

KAFKA_2 = """\
asyncapi: '2.6.0'
info:
  title: Orders Stream
  version: '1.2.0'
  description: |
    Order events on Kafka.

    Second paragraph, not copied.
servers:
  production:
    url: broker.example.com:9093
    protocol: kafka-secure
    protocolVersion: '3.5'
    description: Production brokers
    security:
      - sasl: []
  staging:
    url: staging-broker.example.com:9093
    protocol: kafka-secure
    security:
      - oauth: [orders:read]
    bindings:
      kafka:
        schemaRegistryUrl: https://registry.example.com
channels:
  orders.created:
    description: New orders.
    subscribe:
      operationId: onOrderCreated
      message:
        $ref: '#/components/messages/OrderCreated'
    bindings:
      kafka:
        topic: orders.created.v1
        partitions: 12
        replicas: 3
  orders.cancel:
    publish:
      operationId: cancelOrder
      security:
        - oauth: [orders:write]
      bindings:
        kafka:
          groupId:
            type: string
            enum: [orders-service]
      message:
        name: CancelOrder
        payload:
          type: object
          required: [orderId]
          properties:
            orderId: {type: string, format: uuid}
            reason: {type: string}
components:
  messages:
    OrderCreated:
      name: OrderCreated
      title: Order created
      contentType: application/json
      correlationId:
        location: $message.header#/correlationId
      headers:
        type: object
        properties:
          correlationId: {type: string}
      payload:
        $ref: '#/components/schemas/Order'
      bindings:
        kafka:
          key: {type: string}
  schemas:
    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: string}
        total: {type: number}
        lines:
          type: array
          items: {$ref: '#/components/schemas/Line'}
    Line:
      type: object
  securitySchemes:
    sasl:
      type: scramSha512
      description: SASL/SCRAM credentials from the console.
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes:
            orders:read: Read orders
            orders:write: Cancel orders
"""

MQTT_3 = """\
asyncapi: 3.0.0
info:
  title: Lights
  version: 1.0.0
servers:
  test:
    host: test.mqtt.example.com
    protocol: mqtt
    security:
      - $ref: '#/components/securitySchemes/user'
channels:
  measured:
    address: lights/{id}/measured
    parameters:
      id:
        description: The light.
    messages:
      measured:
        $ref: '#/components/messages/Measured'
  dim:
    address: lights/{id}/dim
    messages:
      dim:
        payload:
          type: object
          properties:
            percent: {type: integer}
operations:
  publishMeasured:
    action: send
    channel: {$ref: '#/channels/measured'}
    messages: [{$ref: '#/channels/measured/messages/measured'}]
    bindings:
      mqtt: {qos: 1, retain: true}
  dimLight:
    action: receive
    channel: {$ref: '#/channels/dim'}
components:
  messages:
    Measured:
      name: measured
      payload:
        type: object
        required: [lumens]
        properties:
          lumens: {type: integer}
  securitySchemes:
    user:
      type: userPassword
"""


def _write(folder: Path, text: str, name: str = "events.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _research(path: Path) -> EventResearch:
    return extract_events(load_asyncapi(str(path)), system_name=None, source=path.name)


def _headings(note: str) -> list[str]:
    return [line for line in note.split("\n") if re.match(r"#{1,6} ", line)]


def _table_shape_holds(note: str) -> bool:
    """Return whether every table row has as many cells as its header (lines end at \\n only)."""
    columns = None
    for line in note.split("\n"):
        if not line.startswith("|"):
            columns = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if columns is None:
            columns = cells
        elif cells != columns:
            return False
    return True


def test_2x_subscribe_is_the_system_sending_and_publish_receiving(tmp_path: Path) -> None:
    research = _research(_write(tmp_path, KAFKA_2))
    by_key = {op.key: op for op in research.operations}
    assert by_key["onOrderCreated"].action == "send"
    assert by_key["onOrderCreated"].direction == "the system sends, we receive"
    assert by_key["cancelOrder"].action == "receive"
    assert by_key["cancelOrder"].channel == "orders.cancel"
    assert by_key["cancelOrder"].security == (("oauth",),)
    assert by_key["onOrderCreated"].security is None


def test_3x_send_and_receive_with_channel_references(tmp_path: Path) -> None:
    research = _research(_write(tmp_path, MQTT_3))
    first, second = research.operations
    assert (first.key, first.action, first.channel) == (
        "publishMeasured",
        "send",
        "lights/{id}/measured",
    )
    assert [m.label for m in first.messages] == ["measured"]
    assert (second.action, second.channel) == ("receive", "lights/{id}/dim")
    # Without its own messages, a 3.x operation carries every message of its channel.
    assert [f.name for f in second.messages[0].payload] == ["percent"]
    assert research.servers[0].security == (("user",),)
    assert research.servers[0].environment == "test"
    assert research.channels[0].parameters[0].name == "id"


def test_payload_fields_with_types_and_required(tmp_path: Path) -> None:
    research = _research(_write(tmp_path, KAFKA_2))
    created = next(m for m in research.messages if m.name == "OrderCreated")
    fields = {f.name: (f.type, f.required) for f in created.payload}
    assert fields == {
        "id": ("string", True),
        "total": ("number", True),
        "lines": ("array of Line", False),
    }
    assert created.source == "#/components/messages/OrderCreated"
    assert created.key == "OrderCreated"
    assert created.content_type == "application/json"
    assert created.correlation_id == "$message.header#/correlationId"
    assert [h.name for h in created.headers] == ["correlationId"]
    cancel = next(m for m in research.messages if m.name == "CancelOrder")
    assert {f.name: f.type for f in cancel.payload} == {
        "orderId": "string, format uuid",
        "reason": "string",
    }
    assert cancel.payload[0].required


def test_security_schemes_kafka_sasl_and_oauth_scopes(tmp_path: Path) -> None:
    research = _research(_write(tmp_path, KAFKA_2))
    sasl, oauth = research.auth
    assert (sasl.type, describe_event_scheme(sasl)) == (
        "scramSha512",
        "SASL/SCRAM-SHA-512 user name and password",
    )
    assert sasl.source == "#/components/securitySchemes/sasl"
    (flow,) = oauth.flows
    assert flow.kind == "clientCredentials"
    assert flow.token_url == "https://auth.example.com/token"
    assert flow.scopes == (("orders:read", "Read orders"), ("orders:write", "Cancel orders"))
    production = research.servers[0]
    assert (production.name, production.protocol, production.protocol_version) == (
        "production",
        "kafka-secure",
        "3.5",
    )
    assert production.environment == "production"
    assert research.servers[1].environment == "staging"
    assert research.system.description == "Order events on Kafka."
    assert research.system.spec == "AsyncAPI 2.6.0"


def test_bindings_keep_their_key_fields(tmp_path: Path) -> None:
    research = _research(_write(tmp_path, KAFKA_2))
    (channel_binding,) = research.channels[0].bindings
    assert channel_binding.protocol == "kafka"
    assert channel_binding.details == (
        ("topic", "orders.created.v1"),
        ("partitions", "12"),
        ("replicas", "3"),
    )
    cancel = next(op for op in research.operations if op.key == "cancelOrder")
    assert cancel.bindings[0].details == (("groupId", "one of orders-service"),)
    assert research.servers[1].bindings[0].protocol == "kafka"
    mqtt = _research(_write(tmp_path, MQTT_3, "mqtt.yaml"))
    assert mqtt.operations[0].bindings[0].details == (("qos", "1"), ("retain", "true"))
    texts = [detail.text for detail in research.constraints]
    assert (
        "kafka binding of channel orders.created: topic orders.created.v1, partitions 12, replicas 3"
        in texts
    )


def test_a_reference_to_a_file_beside_the_document_is_followed(tmp_path: Path) -> None:
    _write(tmp_path, "Ping:\n  name: Ping\n  payload: {type: string}\n", "messages.yaml")
    document = KAFKA_2.replace(
        "$ref: '#/components/messages/OrderCreated'", "$ref: 'messages.yaml#/Ping'"
    )
    research = _research(_write(tmp_path, document))
    assert not research.unresolved
    created = research.operations[0].messages[0]
    assert (created.label, created.payload_type) == ("Ping", "string")


def test_a_reference_outside_the_folder_is_listed_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Ping:\n  name: LEAKED\n", encoding="utf-8")
    folder = tmp_path / "vendor"
    folder.mkdir()
    document = KAFKA_2.replace(
        "$ref: '#/components/messages/OrderCreated'", "$ref: '../secret.yaml#/Ping'"
    )
    research = _research(_write(folder, document))
    (line,) = research.unresolved
    assert "../secret.yaml#/Ping" in line
    assert "outside the document's folder; never read" in line
    note = render_event_note(research)
    assert "LEAKED" not in note
    assert "### Unresolved References" in note
    assert any("$ref is not followed" in w.message for w in research.warnings)


def test_an_unknown_version_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "info: {title: x, version: '1'}\nasyncapi: 9.0.0\n")
    with pytest.raises(InputError) as caught:
        load_asyncapi(str(path))
    assert caught.value.line == 2
    assert str(path) in str(caught.value.path)
    assert "unsupported version asyncapi: '9.0.0'" in caught.value.message


def test_a_document_without_asyncapi_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "openapi: 3.1.0\ninfo: {title: x, version: '1'}\n")
    with pytest.raises(InputError) as caught:
        load_asyncapi(str(path))
    assert caught.value.line == 1
    assert "no 'asyncapi' field" in caught.value.message
    assert "--openapi" in caught.value.hint


def test_a_url_must_be_downloaded_first() -> None:
    with pytest.raises(UsageError, match="must be downloaded first"):
        load_asyncapi("https://example.com/asyncapi.yaml")


def test_structural_problems_are_warnings_and_reading_goes_on(tmp_path: Path) -> None:
    broken = MQTT_3.replace("action: receive", "action: sideways").replace(
        "type: userPassword", "type: carrierPigeon"
    )
    research = _research(_write(tmp_path, broken))
    pointers = {w.pointer: w.message for w in research.warnings}
    assert pointers["/operations/dimLight/action"] == "must be one of send, receive"
    assert pointers["/components/securitySchemes/user/type"].startswith("must be one of")
    assert len(research.operations) == 2


def test_markdown_in_a_description_adds_no_structure(tmp_path: Path) -> None:
    hostile = KAFKA_2.replace(
        "description: New orders.",
        'description: "Orders\\n## Heading\\n| a | b |\\n|---|---|\\n<script>x</script>"',
    ).replace("title: Orders Stream", "title: 'Orders | ## Stream'")
    note = render_event_note(_research(_write(tmp_path, hostile)))
    assert "\n## Heading" not in note
    assert not any("Heading" in line for line in _headings(note))
    assert not re.search(r"(?<!\\)<script>", note)  # escaped, shown as text
    assert _table_shape_holds(note)


def test_the_note_passes_the_validators_required_sections(tmp_path: Path) -> None:
    (tmp_path / ".interlock").mkdir()
    folder = tmp_path / "specs" / "orders" / "research"
    folder.mkdir(parents=True)
    for name, text in (("kafka", KAFKA_2), ("mqtt", MQTT_3)):
        research = _research(_write(tmp_path, text, f"{name}.yaml"))
        (folder / f"{name}.md").write_text(render_event_note(research), encoding="utf-8")
    result = validate_paths(
        [tmp_path / "specs"],
        ConfigRequest(start=tmp_path, preset="review"),
        use_cache=False,
        cwd=tmp_path,
    )
    findings = [(f.path, f.rule, f.message) for file in result.files for f in file.findings]
    assert not [item for item in findings if item[1] == "required-section"], findings
    assert len(result.files) == 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=40), description=st.text(max_size=80))
def test_any_channel_text_keeps_the_note_structure(
    tmp_path: Path, name: str, description: str
) -> None:
    document = {
        "asyncapi": "2.6.0",
        "info": {"title": "T", "version": "1"},
        "channels": {
            name: {
                "description": description,
                "subscribe": {
                    "operationId": name,
                    "message": {"name": name, "summary": description},
                },
            }
        },
    }
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    note = render_event_note(_research(path))
    assert _headings(note) == _headings(render_event_note(_research(_plain(tmp_path))))
    assert _table_shape_holds(note)


def _plain(folder: Path) -> Path:
    document = {
        "asyncapi": "2.6.0",
        "info": {"title": "T", "version": "1"},
        "channels": {"c": {"description": "d", "subscribe": {"message": {"name": "m"}}}},
    }
    path = folder / "plain.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _vendor(relative: str) -> Path:
    path = VENDORS / relative
    if not path.is_file():
        pytest.skip(f"{path} is not here; set INTERLOCK_VENDOR_DOCS to the vendors' examples")
    return path


def test_streetlights_kafka_2_6() -> None:
    research = _research(_vendor("asyncapi2/streetlights-kafka.yml"))
    assert research.system.spec == "AsyncAPI 2.6.0"
    assert [s.key for s in research.auth] == ["saslScram", "certs"]
    assert {op.key: op.action for op in research.operations} == {
        "receiveLightMeasurement": "receive",
        "turnOn": "send",
        "turnOff": "send",
        "dimLight": "send",
    }
    assert all(server.environment == "test" for server in research.servers)
    note = render_event_note(research)
    assert "`lumens` (integer)" in note
    assert "`#/components/operationTraits/kafka/bindings/kafka`" in note


def test_streetlights_kafka_3() -> None:
    research = _research(_vendor("asyncapi/streetlights-kafka-asyncapi.yml"))
    assert research.system.spec.startswith("AsyncAPI 3.")
    measured = research.operations[0]
    assert (measured.key, measured.action) == ("receiveLightMeasurement", "receive")
    assert measured.channel.endswith(".lighting.measured")
    assert [m.label for m in measured.messages] == ["lightMeasured"]
    assert not research.warnings


def test_slack_events_1_2_is_read_with_a_warning() -> None:
    research = _research(_vendor("slack-events-asyncapi.json"))
    assert research.system.spec == "AsyncAPI 1.2.0"
    assert research.warnings[0].pointer == "/asyncapi"
    assert "1.x is old" in research.warnings[0].message
    assert len(research.operations) > 50
    assert all(op.action == "send" for op in research.operations)
    mention = next(op for op in research.operations if op.channel == "app.mention")
    assert "event_id" in {f.name for f in mention.messages[0].payload}


@pytest.mark.parametrize(
    "name",
    [
        "asyncapi2/streetlights-mqtt.yml",
        "asyncapi2/operation-security.yml",
        "asyncapi2/slack-rtm.yml",
        "asyncapi/streetlights-mqtt-asyncapi.yml",
        "asyncapi/operation-security-asyncapi.yml",
        "asyncapi/slack-rtm-asyncapi.yml",
    ],
)
def test_vendor_examples_render_with_their_sections(name: str) -> None:
    note = render_event_note(_research(_vendor(name)))
    for section in ("## External System", "## Key Endpoints/Features", "## Constraints"):
        assert section in _headings(note)
    assert _table_shape_holds(note)
