"""Show where interviews stand to people: one integration in full, or a table of all."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from interlock.cli.checklist_view import print_checklist
from interlock.folders.status import IntegrationStatus, UnreadableIntegration


def print_status(report: IntegrationStatus) -> None:
    """Print one integration: progress, signals, systems, open questions, checklist."""
    console = Console()
    sheet, state = report.sheet, report.state
    progress = state.progress
    where = "complete" if state.complete else f"phase {progress.phase} of {progress.phases}"
    console.print(f"[bold]{sheet.name}[/bold] ({sheet.template}, {sheet.depth}): {where}")
    console.print(
        f"  {progress.answered} answered, {progress.skipped} skipped, "
        f"{progress.remaining} remaining"
    )
    signals = Table("signal", "met", title="Interview complete signals")
    for signal in state.signals:
        signals.add_row(signal.label, "yes" if signal.met else "no")
    console.print(signals)
    for question_id, records in report.entities.items():
        names = ", ".join(
            f"{record.get('name', '?')} ({record.get('kind', '')})".replace(" ()", "")
            for record in records
        )
        console.print(f"  {question_id}: {names or 'none yet'}", markup=False)
    _print_research(console, report)
    _print_open_questions(console, report)
    for label, ids in (("inactive", state.inactive), ("orphaned", state.orphaned)):
        if ids:
            console.print(f"  Answers kept but {label}: {', '.join(ids)}", markup=False)
    print_checklist(console, report.checklist)


def print_statuses(reports: list[IntegrationStatus | UnreadableIntegration]) -> None:
    """Print a table of every integration, or say how to start the first.

    An integration that could not be read has a row saying so, and its error (with
    file and line) is printed under the table, on standard error.
    """
    console = Console()
    if not reports:
        console.print("No interviews yet. Start one with: interlock interview NAME")
        return
    table = Table("integration", "phase", "answered", "skipped", "remaining", "signals", "open")
    broken: list[UnreadableIntegration] = []
    for report in reports:
        if isinstance(report, UnreadableIntegration):
            broken.append(report)
            table.add_row(report.name, "unreadable", "", "", "", "", "")
            continue
        state = report.state
        progress = state.progress
        met = sum(1 for signal in state.signals if signal.met)
        table.add_row(
            report.sheet.name,
            "complete" if state.complete else f"{progress.phase}/{progress.phases}",
            str(progress.answered),
            str(progress.skipped),
            str(progress.remaining),
            f"{met}/{len(state.signals)}",
            str(len(report.open_questions)),
        )
    console.print(table)
    errors = Console(stderr=True)
    for report in broken:
        errors.print(f"error: {report.name}: {report.error}", markup=False, highlight=False)


def _print_research(console: Console, report: IntegrationStatus) -> None:
    if not report.research:
        return
    console.print("  Research notes:")
    for note in report.research:
        shown = note.note.relative_to(report.root) if report.root else note.note
        summary = note.summary()
        facts = (
            f": {summary.title or summary.name}, {summary.operations} operations"
            + (f", {summary.webhooks} webhooks" if summary.webhooks else "")
            + (f", {', '.join(summary.servers[:2])}" if summary.servers else "")
            if summary is not None
            else ""
        )
        console.print(f"  - {shown}{facts}", markup=False, highlight=False)


def _print_open_questions(console: Console, report: IntegrationStatus) -> None:
    if not report.open_questions:
        return
    skipped = report.skipped
    unanswered = len(report.open_questions) - len(skipped)
    counts = [f"{len(skipped)} skipped"] if skipped else []
    if unanswered:
        counts.append(f"{unanswered} not answered yet")
    console.print(f"  Open questions: {', '.join(counts)}")
    for item in skipped:
        owner = f" (owner: {item.owner})" if item.owner else ""
        console.print(f"  - {item.question}{owner}", markup=False)


__all__ = ["print_status", "print_statuses"]
