"""``interlock research NAME --openapi FILE``: files written, answers prefilled, errors shown."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank
from interlock.interview.engine import Engine
from interlock.interview.store import AnswerStore
from support.cli_runs import run_cli
from support.drift_documents import V1, V2

if TYPE_CHECKING:  # the fixture's type; pytest itself imports the conftest
    from conftest import Run

FIXTURES = Path(__file__).parent / "fixtures"
PAYMENTS = FIXTURES / "payments-3.1.yaml"
KEY = "acme-payments-api"

needs_validator = pytest.mark.skipif(
    importlib.util.find_spec("openapi_spec_validator") is None,
    reason="openapi-spec-validator is not installed",
)


@needs_validator
def test_research_writes_the_note_and_prefills_the_interview(workspace: Path, run: Run) -> None:
    result = run("research", "payments", "--openapi", str(PAYMENTS))
    assert result.exit_code == 0, result.output
    assert "(OpenAPI 3.1.0): 4 operations, 2 webhooks, 2 security schemes" in result.output
    assert f"wrote     specs/payments/research/{KEY}.md" in result.output
    assert f"wrote     specs/payments/research/{KEY}.json" in result.output
    note = (workspace / "specs" / "payments" / "research" / f"{KEY}.md").read_text(encoding="utf-8")
    assert note.startswith("# Research: Acme Payments API\n")
    assert "Read from `payments-3.1.yaml`" in note  # never an absolute path of this machine
    answers = yaml.safe_load(
        (workspace / "specs" / "payments" / "interview.yaml").read_text(encoding="utf-8")
    )["answers"]
    assert answers["systems"]["value"][0]["name"] == "Acme Payments API"
    assert set(answers) == {"systems"}, "research proposes; only the system is recorded"
    assert answers["systems"]["by"] == "openapi:payments-3.1.yaml"
    assert f"proposed  external.auth@{KEY}: oauth2 (confirm it in the interview)" in (result.output)


@needs_validator
def test_status_shows_the_researched_system(workspace: Path, run: Run) -> None:
    run("research", "payments", "--openapi", str(PAYMENTS))
    result = run("status", "payments", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["entities"]["systems"][0]["name"] == "Acme Payments API"
    assert report["progress"]["answered"] == 1  # the systems; the rest is proposed


@needs_validator
def test_a_second_run_leaves_every_file_as_it_was(workspace: Path, run: Run) -> None:
    run("research", "payments", "--openapi", str(PAYMENTS))
    folder = workspace / "specs" / "payments"
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    result = run("research", "payments", "--openapi", str(PAYMENTS))
    assert result.exit_code == 0, result.output
    assert f"unchanged specs/payments/research/{KEY}.md" in result.output
    after = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    assert after == before


@needs_validator
def test_a_hand_edited_note_is_kept_unless_forced(workspace: Path, run: Run) -> None:
    run("research", "payments", "--openapi", str(PAYMENTS))
    note = workspace / "specs" / "payments" / "research" / f"{KEY}.md"
    edited = note.read_text(encoding="utf-8") + "\nOur own finding.\n"
    note.write_text(edited, encoding="utf-8")
    refused = run("research", "payments", "--openapi", str(PAYMENTS))
    assert refused.exit_code == 2
    assert f"{KEY}.md: error: {KEY}.md was edited by hand" in refused.output
    assert "--force" in refused.output
    assert note.read_text(encoding="utf-8") == edited
    forced = run("research", "payments", "--openapi", str(PAYMENTS), "--force")
    assert forced.exit_code == 0, forced.output
    (copy,) = note.parent.glob(f"{KEY}.md.edited-*")
    assert copy.read_text(encoding="utf-8") == edited
    assert "Our own finding." not in note.read_text(encoding="utf-8")


@needs_validator
def test_answers_given_by_people_are_kept(workspace: Path, run: Run) -> None:
    engine = Engine(load_bank("integration"))
    sheet = engine.answer(
        AnswerSheet(name="payments"),
        "systems",
        [
            {"name": "Ledger", "kind": "database"},
            {"name": "Acme Payments API", "kind": "external-api"},
        ],
        by="Dana",
    )
    sheet = engine.answer(sheet, f"external.auth@{KEY}", "mtls", by="Dana")
    store = AnswerStore(workspace / "specs" / "payments" / "interview.yaml")
    store.path.parent.mkdir(parents=True)
    store.save(sheet)
    result = run("research", "payments", "--openapi", str(PAYMENTS))
    assert result.exit_code == 0, result.output
    saved = AnswerStore(store.path).load()
    assert [r["name"] for r in saved.answers["systems"].value] == ["Ledger", "Acme Payments API"]
    assert saved.answers[f"external.auth@{KEY}"].value == "mtls"
    assert f"external.endpoints@{KEY}" not in saved.answers, "offered, never answered"


@needs_validator
def test_the_system_can_be_named(workspace: Path, run: Run) -> None:
    result = run(
        "research",
        "pets",
        "--openapi",
        str(FIXTURES / "petstore-2.0.json"),
        "--system-name",
        "Petstore",
    )
    assert result.exit_code == 0, result.output
    assert "answered  systems in specs/pets/interview.yaml" in result.output
    assert "external.auth@" not in result.output  # two ways to authenticate: the interview asks


@pytest.mark.parametrize(
    ("document", "shown"),
    [
        ("missing.yaml", "missing.yaml: error: no such file"),
        ("invalid-yaml.yaml", "invalid-yaml.yaml:8:16: error: invalid YAML"),
        ("not-openapi.json", "not-openapi.json:1: error: not an OpenAPI document"),
        (
            "ref-loop.yaml",
            "ref-loop.yaml:14: error: invalid OpenAPI 3.0 at /paths/~1a/get/responses/200/"
            "content/application~1json/schema/$ref: this $ref is not followed: is a loop",
        ),
    ],
    ids=["missing-file", "yaml-syntax", "not-openapi", "ref-loop-strict"],
)
def test_a_bad_document_exits_2_naming_file_and_line(
    document: str, shown: str, workspace: Path, run: Run
) -> None:
    result = run("research", "payments", "--openapi", str(FIXTURES / document), "--strict")
    assert result.exit_code == 2
    assert shown in result.output
    assert "Traceback" not in result.output
    assert not (workspace / "specs" / "payments").exists()


def test_a_20_mb_document_is_refused_by_its_size(workspace: Path, tmp_path: Path, run: Run) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("w", encoding="utf-8") as stream:
        stream.write('{"openapi": "3.0.3", "x-padding": "')
        stream.write("x" * (20 * 1024 * 1024))
        stream.write('"}')
    result = run("research", "payments", "--openapi", str(huge))
    assert result.exit_code == 2
    assert (
        "huge.json: error: the document is too large (20 MiB; the limit is 10 MiB)" in result.output
    )
    assert "--max-size" in result.output


def test_outside_a_workspace_it_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("research", "payments", "--openapi", str(PAYMENTS))
    assert result.exit_code == 2
    assert "interlock init" in result.output


def test_a_bad_integration_name_is_refused(workspace: Path, run: Run) -> None:
    result = run("research", "../payments", "--openapi", str(PAYMENTS))
    assert result.exit_code == 2
    assert "may not contain slashes" in result.output


@needs_validator
def test_each_system_keeps_its_own_note_and_status_lists_them(
    workspace: Path, run: Run, tmp_path: Path
) -> None:
    other = tmp_path / "vendor" / "mail.yaml"
    other.parent.mkdir()
    other.write_text(
        "openapi: 3.0.3\ninfo: {title: Mail API, version: '2'}\n"
        "servers: [{url: 'https://api.mail.example.com/v2'}]\n"
        "paths:\n  /send:\n    post:\n      summary: Send a message\n"
        "      responses: {'202': {description: queued}}\n",
        encoding="utf-8",
    )
    assert run("research", "payments", "--openapi", str(PAYMENTS)).exit_code == 0
    folder = workspace / "specs" / "payments" / "research"
    first = (folder / f"{KEY}.md").read_bytes()
    result = run("research", "payments", "--openapi", str(other), "--system-name", "Mail")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir() if not path.name.startswith(".")) == [
        f"{KEY}.json",
        f"{KEY}.md",
        "mail.json",
        "mail.md",
    ]
    assert (folder / f"{KEY}.md").read_bytes() == first, "the first system's note is untouched"
    snapshot = json.loads((folder / "mail.json").read_text(encoding="utf-8"))
    assert snapshot["system"]["name"] == "Mail"
    assert [op["path"] for op in snapshot["operations"]] == ["/send"]
    listed = json.loads(run("status", "payments", "--json").output)["research"]
    assert [(item["system"], item["note"]) for item in listed] == [
        (KEY, f"specs/payments/research/{KEY}.md"),
        ("mail", "specs/payments/research/mail.md"),
    ]
    assert listed[1]["servers"] == ["https://api.mail.example.com/v2"]
    shown = run("status", "payments")
    assert f"specs/payments/research/{KEY}.md" in shown.output
    rendered = run_cli("render", "payments", "--author", "Dana")
    assert rendered.exit_code == 0, rendered.output
    points = (workspace / "specs" / "payments" / "integration-points.md").read_text(
        encoding="utf-8"
    )
    assert "- **Research Note**: [research/mail.md](research/mail.md)" in points
    assert "https://api.mail.example.com/v2 (from the research note)" in points
    checked = run_cli("validate", "specs/payments/research", "--format", "json")
    kinds = {item["path"]: item["kind"] for item in json.loads(checked.output)["files"]}
    assert kinds == {
        f"specs/payments/research/{KEY}.md": "workflow-note",
        "specs/payments/research/mail.md": "workflow-note",
    }


@needs_validator
def test_the_note_lists_the_problems_of_a_document_read_leniently(
    workspace: Path, run: Run, tmp_path: Path
) -> None:
    broken = tmp_path / "vendor" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text(
        "openapi: 3.0.3\ninfo: {title: Broken, version: 1}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{name: q, in: querystring}]\n"
        "      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    result = run("research", "broken", "--openapi", str(broken))
    assert result.exit_code == 0, result.output
    (note,) = (workspace / "specs" / "broken" / "research").glob("*.md")
    text = note.read_text(encoding="utf-8")
    assert "### Problems in the Document" in text
    assert "broken.yaml:2: at /info/version: must be text" in text
    assert str(tmp_path) not in text, "the note names the file, never a path of this machine"
    snapshot = json.loads(note.with_suffix(".json").read_text(encoding="utf-8"))
    assert "warnings" not in snapshot, "a fault of the text is not a fact of the system"


@needs_validator
def test_a_newer_document_is_compared_with_the_last_snapshot(
    workspace: Path, run: Run, tmp_path: Path
) -> None:
    document = tmp_path / "vendor" / "billing.yaml"
    document.parent.mkdir()
    document.write_text(V1, encoding="utf-8")
    first = run("research", "pay", "--openapi", str(document), "--fail-on-drift")
    assert first.exit_code == 0, first.output
    assert "drift" not in first.output, "nothing to compare with on the first run"
    same = run("research", "pay", "--openapi", str(document), "--fail-on-drift")
    assert same.exit_code == 0 and "drift     none since the last snapshot" in same.output
    document.write_text(V2, encoding="utf-8")
    newer = run("research", "pay", "--openapi", str(document), "--fail-on-drift")
    assert newer.exit_code == 1
    assert "drift     BREAKING POST /refunds: removed" in newer.output
    assert "drift     BREAKING GET /invoices: new required query parameter 'account'" in (
        newer.output
    )
    assert "drift     change   GET /invoices: deprecated" in newer.output
    assert "breaking change(s) since the last snapshot" in newer.output
    again = run("research", "pay", "--openapi", str(document))
    assert again.exit_code == 0, "the new snapshot is the one compared with next time"
    assert "drift     none since the last snapshot" in again.output


@needs_validator
def test_drift_is_reported_for_the_operations_a_person_chose(
    workspace: Path, run: Run, tmp_path: Path
) -> None:
    document = tmp_path / "vendor" / "billing.yaml"
    document.parent.mkdir()
    document.write_text(V1, encoding="utf-8")
    assert run("research", "pay", "--openapi", str(document)).exit_code == 0
    chosen = run_cli(
        "interview",
        "pay",
        "--answer",
        'external.endpoints@billing=["GET /invoices/{id}"]',
        "--no-input",
    )
    assert chosen.exit_code == 0, chosen.output
    document.write_text(V2, encoding="utf-8")
    newer = run("research", "pay", "--openapi", str(document), "--fail-on-drift")
    assert newer.exit_code == 1
    assert "GET /invoices/{id}: moved to GET /v2/invoices/{id}" in newer.output
    assert "POST /refunds" not in newer.output, "an operation the integration does not use"


EVENTS = """\
asyncapi: '2.6.0'
info: {title: Light Events, version: '1.0.0'}
servers:
  production: {url: 'broker.example.com:9092', protocol: kafka}
channels:
  light.measured:
    subscribe:
      message:
        name: lightMeasured
        payload:
          type: object
          required: [lumens]
          properties: {lumens: {type: integer}, sentAt: {type: string}}
"""


def test_an_asyncapi_document_gets_its_own_note_beside_the_others(
    workspace: Path, run: Run, tmp_path: Path
) -> None:
    events = tmp_path / "vendor" / "events.yaml"
    events.parent.mkdir()
    events.write_text(EVENTS, encoding="utf-8")
    result = run("research", "lights", "--asyncapi", str(events), "--system-name", "Lights")
    assert result.exit_code == 0, result.output
    assert "(AsyncAPI 2.6.0): 1 channel, 1 operation, 1 message" in result.output
    folder = workspace / "specs" / "lights" / "research"
    note = (folder / "lights.md").read_text(encoding="utf-8")
    assert "light.measured" in note and "lumens" in note
    assert json.loads((folder / "lights.json").read_text(encoding="utf-8"))["system"]["name"] == (
        "Lights"
    )
    status = json.loads(run("status", "lights", "--json").output)
    assert status["entities"]["systems"][0]["kind"] == "queue", "a Kafka broker is a queue"
    assert [item["system"] for item in status["research"]] == ["lights"]
    checked = run_cli("validate", "specs/lights/research", "--format", "json")
    assert json.loads(checked.output)["findings"] == []


@pytest.mark.parametrize(
    "arguments", [[], ["--openapi", "a.yaml", "--asyncapi", "b.yaml"]], ids=["none", "both"]
)
def test_research_needs_exactly_one_document(
    workspace: Path, run: Run, arguments: list[str]
) -> None:
    result = run("research", "lights", *arguments)
    assert result.exit_code == 2
    assert "name one document: --openapi FILE|URL, or --asyncapi FILE" in result.output


def asked_until(question: str) -> dict[str, Any] | None:
    """Skip round after round of ``payments`` until ``question`` is asked; return it."""
    for _ in range(12):
        current = json.loads(run_cli("interview", "payments", "--next", "--json").output)
        asked = next((q for q in current["questions"] if q["id"] == question), None)
        if asked is not None or current["complete"]:
            return asked
        for item in current["questions"]:
            run_cli("interview", "payments", "--skip", item["id"], "--reason", "later")
    return None


@needs_validator
def test_the_endpoints_question_offers_the_researched_operations(workspace: Path, run: Run) -> None:
    assert run("research", "payments", "--openapi", str(PAYMENTS)).exit_code == 0
    question = f"external.endpoints@{KEY}"
    offered = asked_until(question)
    assert offered is not None, "the endpoints question of the researched system is asked"
    values = [suggestion["value"] for suggestion in offered["suggestions"]]
    assert values == [
        "GET /payments — List payments, newest first",
        "POST /payments — Create a payment",
        "GET /payments/{payment_id} — Retrieve a payment",
        "POST /payments/{payment_id}/refunds — Refund a payment, in full or in part",
    ]
    assert {suggestion["source"] for suggestion in offered["suggestions"]} == {f"research/{KEY}.md"}
    chosen = run_cli("interview", "payments", "--answer", f'{question}=["{values[2]}"]')
    assert chosen.exit_code == 0, chosen.output
    assert run_cli("render", "payments", "--author", "Dana").exit_code == 0
    points = (workspace / "specs" / "payments" / "integration-points.md").read_text(
        encoding="utf-8"
    )
    assert "Retrieve a payment" in points, "the confirmed operation is listed"
    for other in ("Create a payment", "Refund a payment", "newest first"):
        assert other not in points, "operations nobody confirmed are not"


@needs_validator
def test_what_research_proposes_is_offered_and_never_rendered_unconfirmed(
    workspace: Path, run: Run
) -> None:
    assert run("research", "payments", "--openapi", str(PAYMENTS)).exit_code == 0
    question = f"external.auth@{KEY}"
    offered = asked_until(question)
    assert offered is not None
    assert offered["suggestions"] == [
        {"value": "oauth2", "source": f"research/{KEY}.md", "tags": []}
    ]
    assert run_cli("render", "payments", "--author", "Dana").exit_code == 0
    spec = (workspace / "specs" / "payments" / "integration-spec.md").read_text(encoding="utf-8")
    assert "OAuth" not in spec.split("## Third-Party System Information")[1].split("\n## ")[0]
