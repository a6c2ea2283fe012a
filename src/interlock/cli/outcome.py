"""``interlock outcome NAME``: write ``specs/NAME/outcome.md`` from the interview and plan."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.cli.options import AuthorOpt, DiffOpt, ForceOpt, NameArg
from interlock.cli.output import echo_written


def outcome(
    name: NameArg, author: AuthorOpt = None, force: ForceOpt = False, diff: DiffOpt = False
) -> None:
    """Write outcome.md: purpose, components, configuration, testing, limitations."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    result = folder.write_outcome(author=author, force=force, dry_run=diff)
    shown = result.path.relative_to(folder.root)
    if result.written is None:
        text = result.diff or f"{shown} on disk is what the answers and plan render.\n"
        typer.echo(text, nl=False)
        return
    typer.echo(f"{'wrote' if result.written.written else 'unchanged'} {shown}")
    echo_written(result.written, folder.root, only_kept=True)
    typer.echo(
        "Write its Lessons Learned section; once you edit the file, "
        "interlock outcome leaves it as it is."
    )


__all__ = [
    "outcome",
]
