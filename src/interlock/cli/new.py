"""``interlock new NAME --blank``: start a spec by hand from a blank template."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from interlock.cli.render import AuthorOpt, NameArg
from interlock.errors import UsageError


class BlankDocument(StrEnum):
    """The documents ``--kind`` offers; the values of ``interlock.render.blank.BlankKind``."""

    INTEGRATION_SPEC = "integration-spec"
    INTEGRATION_POINTS = "integration-points"


BlankOpt = Annotated[
    bool,
    typer.Option("--blank", help="Write the blank template, to be filled by hand."),
]
KindOpt = Annotated[
    BlankDocument, typer.Option("--kind", help="Which document to start.", case_sensitive=False)
]


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
    from interlock.cli.workspace import require_root
    from interlock.render.blank import BlankKind, write_blank

    root = require_root(Path.cwd())
    path = write_blank(root, name, BlankKind(kind.value), author=author)
    shown = path.relative_to(root)
    typer.echo(f"wrote {shown}")
    typer.echo(f"Fill in its placeholders; 'interlock validate {shown}' lists what is left.")
