import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interlock.cli.app import app
from interlock.workspace.layout import init_workspace

ANSWERS = Path(__file__).resolve().parents[2] / "examples" / "order-service" / "answers.yaml"
runner = CliRunner()


@pytest.fixture
def answered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, ["interview", "orders", "--answers", str(ANSWERS), "--by", "t"])
    assert done.exit_code == 0, done.output
    return tmp_path


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_render_writes_documents_that_pass_review(answered: Path) -> None:
    deeper = invoke("interview", "orders", "--depth", "full", "--answers", str(ANSWERS))
    assert deeper.exit_code == 0, deeper.output
    result = invoke("render", "orders", "--author", "Dana")
    assert result.exit_code == 0, result.output
    folder = answered / "specs" / "orders"
    for name in ("integration-spec.md", "integration-points.md", "interview-summary.md"):
        assert (folder / name).is_file(), name
    assert "author: Dana" in (folder / "integration-spec.md").read_text(encoding="utf-8")
    checked = invoke("validate", "specs/orders", "--preset", "review", "--fail-on", "warning")
    assert checked.exit_code == 0, checked.output


def test_what_a_standard_interview_did_not_cover_is_reported_as_open(answered: Path) -> None:
    assert invoke("render", "orders", "--author", "Dana").exit_code == 0
    checked = invoke("validate", "specs/orders", "--preset", "review", "--format", "json")
    assert checked.exit_code == 0, checked.output  # warnings: review still passes
    findings = [
        finding
        for finding in json.loads(checked.output)["findings"]
        if finding["severity"] in ("warning", "error")
    ]
    assert findings, "a standard interview leaves full-depth topics open"
    for finding in findings:
        assert finding["code"] == "IL206", finding
        assert "not covered by the interview" in finding["message"], finding
    production = invoke("validate", "specs/orders", "--preset", "production")
    assert production.exit_code == 1
    assert "not covered by the interview" in production.output


def test_rendering_twice_changes_nothing(answered: Path) -> None:
    invoke("render", "orders", "--author", "Dana")
    again = invoke("render", "orders", "--author", "Dana")
    assert again.exit_code == 0
    assert "unchanged specs/orders/integration-spec.md" in again.output


def test_a_hand_edited_document_is_not_overwritten(answered: Path) -> None:
    invoke("render", "orders", "--author", "Dana")
    spec = answered / "specs" / "orders" / "integration-spec.md"
    edited = spec.read_text(encoding="utf-8") + "\nA note the team added by hand.\n"
    spec.write_text(edited, encoding="utf-8")
    refused = invoke("render", "orders", "--author", "Dana")
    assert refused.exit_code == 2
    assert "integration-spec.md" in refused.output
    assert "--diff" in refused.output and "--force" in refused.output
    assert spec.read_text(encoding="utf-8") == edited
    diff = invoke("render", "orders", "--author", "Dana", "--diff")
    assert "-A note the team added by hand." in diff.output
    forced = invoke("render", "orders", "--author", "Dana", "--force")
    assert forced.exit_code == 0
    copies = list(spec.parent.glob("integration-spec.md.edited-*"))
    assert len(copies) == 1 and copies[0].read_text(encoding="utf-8") == edited


def test_render_before_any_interview_says_how_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "nothing")
    assert result.exit_code == 2
    assert "interview" in result.output
