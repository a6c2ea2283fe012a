"""Write a command's result to stdout or, atomically, to a file; list the files written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from interlock.atomic_file import write_atomically
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.render.manifest import WriteResult


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` atomically."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    folder = output.parent if str(output.parent) else Path()
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")
    try:
        write_atomically(output, text.encode("utf-8"))
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def echo_written(result: WriteResult, root: Path, *, only_kept: bool = False) -> None:
    """Print each file written, left unchanged, or kept as a copy of a hand edit."""
    if not only_kept:
        for path in result.written:
            typer.echo(f"wrote     {path.relative_to(root)}")
        for path in result.unchanged:
            typer.echo(f"unchanged {path.relative_to(root)}")
    for path in result.kept:
        typer.echo(f"kept your edited copy as {path.relative_to(root)}")


__all__ = [
    "echo_written",
    "write_output",
]
