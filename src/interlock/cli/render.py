"""``interlock render NAME``: write the interview's documents into ``specs/NAME/``."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.cli.options import AuthorOpt, DiffOpt, ForceOpt, NameArg
from interlock.cli.output import echo_written


def render(
    name: NameArg, author: AuthorOpt = None, force: ForceOpt = False, diff: DiffOpt = False
) -> None:
    """Write integration-spec.md, integration-points.md, interview-summary.md and plan.md."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    result = folder.render(author=author, force=force, dry_run=diff)
    if result.written is None:
        for text in result.diffs.values():
            typer.echo(text, nl=not text.endswith("\n"))
        if not result.diffs:
            typer.echo("The documents on disk are what the answers render.")
        return
    echo_written(result.written, folder.root)
    if result.open_questions:
        typer.echo(f"{len(result.open_questions)} open questions are listed in the documents.")
    typer.echo(f"Check them with: interlock validate {result.folder.relative_to(folder.root)}")


__all__ = [
    "render",
]
