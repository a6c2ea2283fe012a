"""``interlock status [NAME]``: where each interview stands, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from interlock.cli.options import JsonOpt, SomeNameArg


def status(name: SomeNameArg = None, as_json: JsonOpt = False) -> None:
    """Show phases, answers, signals, open questions and the systems named so far."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.status_view import print_status, print_statuses
    from interlock.folders.status import UnreadableIntegration
    from interlock.folders.workspace import WorkspaceFolder

    workspace = WorkspaceFolder.find(Path.cwd())
    if name:
        report = workspace.integration(name).status()
        if as_json:
            typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
        else:
            print_status(report)
        return
    reports = workspace.statuses()
    if as_json:
        payload: Any = {"integrations": [report.to_dict() for report in reports]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print_statuses(reports)
    if any(isinstance(report, UnreadableIntegration) for report in reports):
        raise typer.Exit(2)  # the others are listed; the run still says something is wrong


__all__ = [
    "status",
]
