"""Through the command line: probes and contradictions in ``interview --next --json``."""

import json
from pathlib import Path
from typing import Any

import pytest

from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

EVENTS = {"name": "Events", "kind": "queue"}


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    return outside_workspace


def _next(*args: str) -> dict[str, Any]:
    result = run_cli("interview", "pay", "--by", "ci", "--next", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_vague_answer_is_followed_by_its_probe_in_the_next_round(workspace: Path) -> None:
    data = _next("--answer", "problem.summary=TBD")
    probe = next(q for q in data["questions"] if q["id"] == "problem.summary#detail")
    assert probe["prompt"].startswith("More specifically, please: ")
    assert "\u201cTBD\u201d" in probe["help"]
    settled = _next("--answer", "problem.summary#detail=Sync issues both ways with GitHub.")
    assert "problem.summary#detail" not in [q["id"] for q in settled["questions"]]
    saved = (workspace / "specs" / "pay" / "interview.yaml").read_text(encoding="utf-8")
    assert "Sync issues both ways with GitHub." in saved and "TBD" in saved


def test_contradicting_answers_are_shown_in_the_next_round(workspace: Path) -> None:
    _next("--answer", "systems=" + json.dumps([EVENTS]))
    data = _next(
        "--answer",
        "queue.delivery@events=at-least-once",
        "--answer",
        "edge.duplicates=harmless",
    )
    (found,) = [c for c in data["contradictions"] if c["id"] == "at-least-once-without-dedupe"]
    assert found["questions"] == ["queue.delivery@events", "edge.duplicates"]
    assert found["key"] == "events"
    assert found["message"].startswith("Events delivers at least once")
    revised = _next("--answer", "edge.duplicates=processed-ids")
    assert "at-least-once-without-dedupe" not in [c["id"] for c in revised["contradictions"]]
