"""Write a command's result to stdout or, atomically, to a file."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.atomic_file import write_atomically
from interlock.errors import UsageError


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
