"""Show an integration checklist to people, as a Rich table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from interlock.workspace.checklist import Checklist, ItemState

_STYLES = {ItemState.DONE: "green", ItemState.DECIDED: "yellow", ItemState.OPEN: "red"}


def print_checklist(console: Console, checklist: Checklist) -> None:
    """Print ``checklist`` as a table: item, state, and why."""
    done = checklist.count(ItemState.DONE)
    table = Table(
        "item",
        "state",
        "why",
        title=f"Integration checklist ({done} of {len(checklist.items)} done)",
    )
    for item in checklist.items:
        # Answers are user text: Text keeps Rich from reading "[...]" in them as markup.
        table.add_row(
            item.label, Text(item.state.value, style=_STYLES[item.state]), Text(item.detail)
        )
    console.print(table)
    if checklist.plan is None:
        first = "interview" if not checklist.interviewed else "render"
        console.print(
            f"  No plan.md yet: 'interlock {first} {checklist.name}' leads to it; "
            "tick its boxes as the work is done.",
            markup=False,
        )


__all__ = ["print_checklist"]
