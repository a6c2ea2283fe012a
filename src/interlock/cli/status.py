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
    from interlock.folders.workspace import WorkspaceFolder

    workspace = WorkspaceFolder.find(Path.cwd())
    reports = [workspace.integration(name).status()] if name else workspace.statuses()
    if as_json:
        data = [report.to_dict() for report in reports]
        payload: Any = data[0] if name else {"integrations": data}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    elif name:
        print_status(reports[0])
    else:
        print_statuses(reports)


__all__ = [
    "status",
]
