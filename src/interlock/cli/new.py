"""``interlock new NAME --blank``: start a spec by hand from a blank template."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.cli.options import AuthorOpt, BlankDocument, BlankOpt, KindOpt, NameArg
from interlock.errors import UsageError


def new(
    name: NameArg,
    blank: BlankOpt = False,
    kind: KindOpt = BlankDocument.INTEGRATION_SPEC,
    author: AuthorOpt = None,
) -> None:
    """Write specs/NAME/integration-spec.md (or integration-points.md) from a blank template."""
    if not blank:
        raise UsageError(
            "interlock new writes a blank template only with --blank",
            hint=f"run 'interlock new {name} --blank', or let the interview write the "
            f"documents: 'interlock interview {name}', then 'interlock render {name}'",
        )
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder
    from interlock.render.blank import BlankKind

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    shown = folder.write_blank(BlankKind(kind.value), author=author).relative_to(folder.root)
    typer.echo(f"wrote {shown}")
    typer.echo(f"Fill in its placeholders; 'interlock validate {shown}' lists what is left.")


__all__ = ["new"]
