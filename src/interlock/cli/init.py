"""``interlock init``: create ``.interlock/`` and ``specs/`` in the current folder."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.workspace.layout import init_workspace


def init() -> None:
    """Create the workspace: .interlock/ (config, banks, templates) and specs/."""
    result = init_workspace(Path.cwd())
    for path in result.created:
        typer.echo(f"created {path.relative_to(result.root)}")
    for path in result.kept:
        typer.echo(f"kept    {path.relative_to(result.root)} (already there)")
    typer.echo("Next: interlock interview NAME")
