"""``interlock status [NAME]``: where each interview stands, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interlock.workspace.root import SPECS_DIR

if TYPE_CHECKING:
    from rich.console import Console

    from interlock.interview.answers import AnswerSheet
    from interlock.interview.engine import Engine

# The core and Rich are imported inside the command, so that `interlock --help` starts fast.

NameArg = Annotated[
    str | None, typer.Argument(help="One integration; default: every one.", show_default=False)
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def status(name: NameArg = None, as_json: JsonOpt = False) -> None:
    """Show phases, answers, signals, open questions and the systems named so far."""
    from rich.console import Console

    from interlock.cli.checklist_view import checklist_dict, print_checklist
    from interlock.cli.workspace import engine_for, existing_sheet, open_store, require_root
    from interlock.workspace.checklist import integration_checklist

    root = require_root(Path.cwd())
    names = [name] if name else _interviews(root)
    reports = []
    for each in names:
        sheet = existing_sheet(open_store(root, each), each)
        reports.append(_report(engine_for(sheet, root), sheet))
        reports[-1]["checklist"] = checklist_dict(integration_checklist(root, each))
    if as_json:
        payload: Any = reports[0] if name else {"integrations": reports}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return
    console = Console()
    if not reports:
        console.print("No interviews yet. Start one with: interlock interview NAME")
    for report in reports if name else []:
        _print_one(console, report)
        print_checklist(console, integration_checklist(root, report["name"]))
    if not name and reports:
        _print_all(console, reports)


def _interviews(root: Path) -> list[str]:
    from interlock.interview.store import INTERVIEW_FILE

    specs = root / SPECS_DIR
    if not specs.is_dir():
        return []
    return sorted(path.parent.name for path in specs.glob(f"*/{INTERVIEW_FILE}"))


def _report(engine: Engine, sheet: AnswerSheet) -> dict[str, Any]:
    state = engine.state(sheet)
    progress = state.progress
    return {
        "name": sheet.name,
        "template": sheet.template,
        "depth": sheet.depth,
        "complete": state.complete,
        "progress": progress.to_dict(),
        "signals": [signal.to_dict() for signal in state.signals],
        "open_questions": [
            {"id": item.id, "question": item.prompt, "reason": item.reason, "owner": item.owner}
            for item in engine.open_questions(sheet)
        ],
        "entities": _entities(engine, sheet),
        "inactive": list(state.inactive),
        "orphaned": list(state.orphaned),
        "updated": sheet.updated.isoformat(),
    }


def _entities(engine: Engine, sheet: AnswerSheet) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for question in engine.bank.questions:
        answer = sheet.answers.get(question.id)
        if question.kind == "entities" and answer is not None and isinstance(answer.value, list):
            found[question.id] = [record for record in answer.value if isinstance(record, dict)]
    return found


def _print_one(console: Console, report: dict[str, Any]) -> None:
    from rich.table import Table

    progress = report["progress"]
    state = (
        "complete" if report["complete"] else f"phase {progress['phase']} of {progress['phases']}"
    )
    console.print(
        f"[bold]{report['name']}[/bold] ({report['template']}, {report['depth']}): {state}"
    )
    console.print(
        f"  {progress['answered']} answered, {progress['skipped']} skipped, "
        f"{progress['remaining']} remaining"
    )
    signals = Table("signal", "met", title="Interview complete signals")
    for signal in report["signals"]:
        signals.add_row(signal["label"], "yes" if signal["met"] else "no")
    console.print(signals)
    for question_id, records in report["entities"].items():
        names = ", ".join(
            f"{record.get('name', '?')} ({record.get('kind', '')})".replace(" ()", "")
            for record in records
        )
        console.print(f"  {question_id}: {names or 'none yet'}", markup=False)
    if report["open_questions"]:
        console.print("  Open questions:")
        for item in report["open_questions"]:
            owner = f" (owner: {item['owner']})" if item["owner"] else ""
            console.print(f"  - {item['question']}{owner}", markup=False)
    for label in ("inactive", "orphaned"):
        if report[label]:
            console.print(f"  Answers kept but {label}: {', '.join(report[label])}", markup=False)


def _print_all(console: Console, reports: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table("integration", "phase", "answered", "skipped", "remaining", "signals", "open")
    for report in reports:
        progress = report["progress"]
        met = sum(1 for signal in report["signals"] if signal["met"])
        table.add_row(
            report["name"],
            "complete" if report["complete"] else f"{progress['phase']}/{progress['phases']}",
            str(progress["answered"]),
            str(progress["skipped"]),
            str(progress["remaining"]),
            f"{met}/{len(report['signals'])}",
            str(len(report["open_questions"])),
        )
    console.print(table)
