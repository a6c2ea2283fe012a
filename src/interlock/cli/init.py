"""``interlock init``: create ``.interlock/`` and ``specs/`` in the current folder."""

from __future__ import annotations

from pathlib import Path

import typer


def init() -> None:
    """Create the workspace: .interlock/ (config, banks, templates) and specs/."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder

    result = WorkspaceFolder.create(Path.cwd())
    for path in result.created:
        typer.echo(f"created {path.relative_to(result.root)}")
    for path in result.kept:
        typer.echo(f"kept    {path.relative_to(result.root)} (already there)")
    typer.echo("Next: interlock interview NAME")


__all__ = [
    "init",
]
