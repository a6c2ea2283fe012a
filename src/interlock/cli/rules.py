"""``interlock rules``: list every validator rule, or explain one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from interlock.cli.options import MarkdownOpt, RuleNameArg
from interlock.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console


def rules(name: RuleNameArg = None, markdown: MarkdownOpt = False) -> None:
    """List every validator rule, or explain one with its examples."""
    # Imported here, so that `interlock --help` starts fast.
    from rich.console import Console
    from rich.markdown import Markdown

    from interlock.validate.registry import all_rules, find_rule
    from interlock.validate.rule_docs import explain, rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    console = Console()
    if name is not None:
        rule = find_rule(name)
        if rule is None:
            known = ", ".join(rule.name for rule in all_rules())
            raise UsageError(f"no rule named {name!r}", hint=f"rules: {known}")
        console.print(Markdown("\n".join(explain(rule))))
        return
    _print_rule_table(console)


def _print_rule_table(console: Console) -> None:
    from rich.table import Table

    from interlock.validate.config import PRESETS
    from interlock.validate.registry import all_rules
    from interlock.validate.rule_docs import severity_table

    table = Table(title="Validator rules", show_lines=False)
    for column in ("code", "name", *PRESETS, "summary"):
        table.add_column(column, no_wrap=column in ("code", "name"))
    levels = severity_table()
    for rule in all_rules():
        table.add_row(
            rule.code,
            rule.name,
            *(levels[rule.name][preset].value for preset in PRESETS),
            rule.summary,
        )
    console.print(table)
    console.print("Explain one with: interlock rules NAME")


__all__ = ["rules"]
