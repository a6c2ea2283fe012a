"""Write a command's result to stdout or, atomically, to a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from interlock.errors import UsageError


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` (temp file, fsync, rename)."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    folder = output.parent if str(output.parent) else Path()
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(output)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
