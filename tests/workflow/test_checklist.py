"""The integration checklist: open or decided from the answers, done from plan.md's ticks."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from interlock.cli.checklist_view import print_checklist
from interlock.folders.integration import IntegrationFolder
from interlock.interview.answers import AnswerSheet
from interlock.workspace.checklist import (
    CHECKLIST,
    Checklist,
    ItemState,
)

NAME = "order-service"
MakeSheet = Callable[..., AnswerSheet]


def _states(checklist: Checklist) -> dict[str, ItemState]:
    return {item.key: item.state for item in checklist.items}


def _tick(root: Path, *starts: str) -> None:
    """Tick the boxes of plan.md whose items start with one of ``starts``."""
    plan = root / "specs" / NAME / "plan.md"
    text = plan.read_text(encoding="utf-8")
    for start in starts:
        text = text.replace(f"- [ ] {start}", f"- [x] {start}")
    plan.write_text(text, encoding="utf-8")


def test_the_items_are_the_workflow_checklist_in_its_order() -> None:
    assert [kind.label for kind in CHECKLIST] == [
        "Documentation thoroughly reviewed",
        "Authentication working",
        "Primary operations implemented",
        "Error handling for all failure modes",
        "Retry logic with backoff",
        "Timeouts configured appropriately",
        "Secrets managed securely",
        "Unit tests with mocks",
        "Integration tests against real API",
        "Logging for debugging",
        "Documentation for setup and troubleshooting",
    ]


def test_a_complete_interview_decides_every_item(workspace: Path) -> None:
    checklist = IntegrationFolder(workspace, NAME).checklist()
    assert checklist.interviewed and checklist.plan == Path("specs/order-service/plan.md")
    assert set(_states(checklist).values()) == {ItemState.DECIDED}
    retries = next(item for item in checklist.items if item.key == "retries")
    assert retries.detail == "retried: Stripe, SendGrid, RabbitMQ; 0 of 3 ticked in plan.md"
    assert (retries.ticked, retries.criteria) == (0, 3)


def test_an_item_is_done_when_all_its_criteria_are_ticked(workspace: Path) -> None:
    _tick(workspace, "**Authentication**", "**Timeouts**: Stripe")
    items = {item.key: item for item in IntegrationFolder(workspace, NAME).checklist().items}
    assert items["authentication"].state is ItemState.DONE
    assert items["authentication"].detail == "all 5 success criteria ticked in plan.md"
    assert items["timeouts"].state is ItemState.DECIDED
    assert items["timeouts"].detail.endswith("; 1 of 2 ticked in plan.md")
    assert items["operations"].state is ItemState.DECIDED


def test_skipped_and_unanswered_questions_leave_their_items_open(
    make_sheet: MakeSheet,
    order_answers: dict[str, Any],
    save_answers: Callable[[AnswerSheet], Path],
) -> None:
    values = {
        key: value
        for key, value in order_answers.items()
        if not key.startswith(("metrics.logging", "external.timeout@sendgrid"))
    }
    root = save_answers(make_sheet(values, skip=("external.auth@stripe",)))
    checklist = IntegrationFolder(root, NAME).checklist()
    states = _states(checklist)
    assert states["authentication"] is ItemState.OPEN
    assert states["timeouts"] is ItemState.OPEN
    assert states["logging"] is ItemState.OPEN
    assert states["secrets"] is ItemState.DECIDED
    details = {item.key: item.detail for item in checklist.items}
    assert details["authentication"] == "open question: Stripe authentication"
    # No plan was rendered: nothing can be done yet, and the checklist says so.
    assert checklist.plan is None


def test_ticks_win_over_open_answers(
    workspace: Path,
    make_sheet: MakeSheet,
    order_answers: dict[str, Any],
    save_answers: Callable[[AnswerSheet], Path],
) -> None:
    save_answers(make_sheet(order_answers, skip=("external.auth@stripe",)))
    _tick(workspace, "**Authentication**")
    assert (
        _states(IntegrationFolder(workspace, NAME).checklist())["authentication"] is ItemState.DONE
    )


def test_without_an_interview_every_item_is_open(tmp_path: Path) -> None:
    (tmp_path / ".interlock").mkdir()
    checklist = IntegrationFolder(tmp_path, "payments").checklist()
    assert not checklist.interviewed and checklist.plan is None
    assert {item.detail for item in checklist.items} == {"no interview answers yet"}
    assert checklist.count(ItemState.OPEN) == len(CHECKLIST)


def test_the_json_view_has_every_item_with_its_counts(workspace: Path) -> None:
    _tick(workspace, "**Secrets**")
    data = json.loads(json.dumps(IntegrationFolder(workspace, NAME).checklist().to_dict()))
    assert data["plan"] == "specs/order-service/plan.md"
    assert data["counts"] == {"open": 0, "decided": 10, "done": 1}
    secrets = next(item for item in data["items"] if item["key"] == "secrets")
    assert secrets == {
        "key": "secrets",
        "label": "Secrets managed securely",
        "state": "done",
        "detail": "all 1 success criteria ticked in plan.md",
        "ticked": 1,
        "criteria": 1,
    }


def test_the_table_shows_each_item_and_its_state(workspace: Path) -> None:
    _tick(workspace, "**Logging**")
    out = io.StringIO()
    print_checklist(
        Console(file=out, width=200, color_system=None),
        IntegrationFolder(workspace, NAME).checklist(),
    )
    shown = out.getvalue()
    assert "Integration checklist (1 of 11 done)" in shown
    logging_row = next(line for line in shown.splitlines() if "Logging for debugging" in line)
    assert "done" in logging_row


def test_answer_text_in_the_table_is_not_read_as_markup(
    make_sheet: MakeSheet,
    order_answers: dict[str, Any],
    save_answers: Callable[[AnswerSheet], Path],
) -> None:
    systems = [{**order_answers["systems"][0], "name": "Pay [bold]Now[/bold]"}]
    values = {"systems": systems, "problem.summary": "Charge cards."}
    root = save_answers(make_sheet(values))
    out = io.StringIO()
    print_checklist(
        Console(file=out, width=300, color_system=None), IntegrationFolder(root, NAME).checklist()
    )
    assert "Pay [bold]Now[/bold] documentation" in out.getvalue()
