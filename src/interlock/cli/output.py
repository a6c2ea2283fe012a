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
    """Print ``text``, or write it to ``output``: atomically when it is a regular file.

    A device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written directly:
    replacing it by renaming a temporary file over it would turn it into a regular
    file, for every other program too.
    """
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    if not str(output) or output.is_dir():
        raise UsageError(
            f"cannot write {str(output)!r}: --output names a file, not a folder",
            hint="e.g. --output interlock.sarif",
        )
    folder = output.parent if str(output.parent) else Path()
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")
    data = text.encode("utf-8")
    try:
        if output.exists() and not output.is_file():
            with output.open("wb") as stream:
                stream.write(data)
        else:
            write_atomically(output, data)
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
