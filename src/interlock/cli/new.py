"""``interlock new NAME``: start a spec by hand from a blank template.

``--blank`` is accepted for the scripts written when it was required; writing a blank
template is what ``new`` does.
"""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.cli.options import AuthorOpt, BlankDocument, BlankOpt, KindOpt, NameArg


def new(
    name: NameArg,
    blank: BlankOpt = False,
    kind: KindOpt = BlankDocument.INTEGRATION_SPEC,
    author: AuthorOpt = None,
) -> None:
    """Write specs/NAME/integration-spec.md (or integration-points.md) from a blank template."""
    del blank  # the only thing `new` writes; the flag stays for existing scripts
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder
    from interlock.render.blank import BlankKind

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    shown = folder.write_blank(BlankKind(kind.value), author=author).relative_to(folder.root)
    typer.echo(f"wrote {shown}")
    typer.echo(f"Fill in its placeholders; 'interlock validate {shown}' lists what is left.")


__all__ = ["new"]
