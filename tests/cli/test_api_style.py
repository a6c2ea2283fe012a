"""An external API's style, from the interview to the documents and the validator.

A Slack integration calls ``chat.postMessage``, an RPC operation rather than a method
and a path. Answered as RPC, the rendered documents declare ``**API Style**: RPC …``
where Slack's operations are listed, and IL210 accepts them; answered as REST, IL210
still flags them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

DOCUMENTS = ("integration-spec.md", "integration-points.md")


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    return outside_workspace


def _render_slack(workspace: Path, style: str) -> dict[str, str]:
    answers = [
        "problem.summary=Post order alerts to the team's Slack channels",
        'systems=[{"name": "Slack", "kind": "external-api"}]',
        f"external.style@slack={style}",
        'external.endpoints@slack=["chat.postMessage - post a message"]',
    ]
    flags = [part for answer in answers for part in ("--answer", answer)]
    answered = run_cli("interview", "alerts", "--by", "Dana", *flags)
    assert answered.exit_code == 0, answered.output
    rendered = run_cli("render", "alerts", "--author", "Dana")
    assert rendered.exit_code == 0, rendered.output
    folder = workspace / "specs" / "alerts"
    return {name: (folder / name).read_text(encoding="utf-8") for name in DOCUMENTS}


def _il210_lines(workspace: Path) -> dict[str, list[str]]:
    """Return, per document, the lines IL210 flags under the review preset."""
    result = run_cli("validate", "specs/alerts", "--preset", "review", "--format", "json")
    findings = json.loads(result.output)["findings"]
    folder = workspace / "specs" / "alerts"
    flagged: dict[str, list[str]] = {name: [] for name in DOCUMENTS}
    for finding in findings:
        name = Path(finding["path"]).name
        if finding["code"] == "IL210" and name in flagged:
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            flagged[name].append(lines[finding["line"] - 1])
    return flagged


@pytest.mark.parametrize("document", DOCUMENTS)
def test_an_rpc_api_s_operations_pass_il210(workspace: Path, document: str) -> None:
    text = _render_slack(workspace, "rpc")[document]
    assert "- **API Style**: RPC over HTTP (operations named like chat.postMessage)" in text
    assert "chat.postMessage" in text.split("**API Style**")[1], "listed under the style"
    assert _il210_lines(workspace)[document] == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_rest_api_naming_an_operation_is_still_flagged(workspace: Path, document: str) -> None:
    text = _render_slack(workspace, "rest")[document]
    assert "- **API Style**: REST over HTTP" in text
    flagged = _il210_lines(workspace)[document]
    assert any("chat.postMessage" in line for line in flagged), flagged


def test_an_unanswered_style_is_an_open_question_where_the_endpoints_are(
    workspace: Path,
) -> None:
    answered = run_cli(
        "interview",
        "alerts",
        "--by",
        "Dana",
        "--answer",
        'systems=[{"name": "Slack", "kind": "external-api"}]',
        "--skip",
        "external.style@slack",
        "--reason",
        "Slack's Web API and its Events API differ",
    )
    assert answered.exit_code == 0, answered.output
    assert run_cli("render", "alerts", "--author", "Dana").exit_code == 0
    points = (workspace / "specs" / "alerts" / "integration-points.md").read_text(encoding="utf-8")
    assert "- **API Style**: open question, see [Open Questions](#open-questions)" in points
