"""``interlock outcome NAME``: write ``specs/NAME/outcome.md`` from the interview and plan."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.cli.render import AuthorOpt, DiffOpt, ForceOpt, NameArg


def outcome(
    name: NameArg, author: AuthorOpt = None, force: ForceOpt = False, diff: DiffOpt = False
) -> None:
    """Write outcome.md: purpose, components, configuration, testing, limitations."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.workspace import require_root
    from interlock.render.outcome import render_outcome

    root = require_root(Path.cwd())
    result = render_outcome(root, name, author=author, force=force, dry_run=diff)
    shown = result.path.relative_to(root)
    if diff:
        typer.echo(
            result.diff or f"{shown} on disk is what the answers and plan render.\n", nl=False
        )
        return
    written = result.written
    assert written is not None
    typer.echo(f"{'wrote' if written.written else 'unchanged'} {shown}")
    for path in written.kept:
        typer.echo(f"kept your edited copy as {path.relative_to(root)}")
    typer.echo(
        "Write its Lessons Learned section; once you edit the file, "
        "interlock outcome leaves it as it is."
    )
