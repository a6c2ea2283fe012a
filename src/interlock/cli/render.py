"""``interlock render NAME``: write the interview's documents into ``specs/NAME/``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

NameArg = Annotated[str, typer.Argument(help="The integration's name, e.g. payments.")]
AuthorOpt = Annotated[
    str | None,
    typer.Option("--author", help="The spec's author. Default: git's user.name, else you."),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace documents edited by hand (a copy of each is kept)."),
]
DiffOpt = Annotated[
    bool, typer.Option("--diff", help="Show how the files on disk differ; write nothing.")
]


def render(
    name: NameArg, author: AuthorOpt = None, force: ForceOpt = False, diff: DiffOpt = False
) -> None:
    """Write integration-spec.md, integration-points.md, interview-summary.md and plan.md."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.workspace import require_root
    from interlock.render.documents import render_integration

    root = require_root(Path.cwd())
    result = render_integration(root, name, author=author, force=force, dry_run=diff)
    if diff:
        for text in result.diffs.values():
            typer.echo(text, nl=not text.endswith("\n"))
        if not result.diffs:
            typer.echo("The documents on disk are what the answers render.")
        return
    written = result.written
    assert written is not None
    for path in written.written:
        typer.echo(f"wrote     {path.relative_to(root)}")
    for path in written.unchanged:
        typer.echo(f"unchanged {path.relative_to(root)}")
    for path in written.kept:
        typer.echo(f"kept your edited copy as {path.relative_to(root)}")
    if result.open_questions:
        typer.echo(f"{result.open_questions} open questions are listed in the documents.")
    typer.echo(f"Check them with: interlock validate {result.folder.relative_to(root)}")
