"""Write a command's result to stdout or, atomically, to a file; list the files written."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from interlock.atomic_file import replacing, write_atomically
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.render.manifest import WriteResult
    from interlock.report.json_text import Sink


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output``: atomically when it is a regular file.

    A device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written directly:
    replacing it by renaming a temporary file over it would turn it into a regular
    file, for every other program too.
    """
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    _check_target(output)
    data = text.encode("utf-8")
    try:
        if output.exists() and not output.is_file():
            with output.open("wb") as stream:
                stream.write(data)
        else:
            write_atomically(output, data)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def _check_target(output: Path) -> None:
    if not str(output) or output.is_dir():
        raise UsageError(
            f"cannot write {str(output)!r}: --output names a file, not a folder",
            hint="e.g. --output interlock.sarif",
        )
    folder = output.parent if str(output.parent) else Path()
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")


def stream_output(write: Callable[[Sink], None], output: Path | None) -> None:
    """Have ``write`` write to stdout, or to ``output`` as :func:`write_output` does.

    What ``write`` writes goes out as it comes, never held whole: the file is replaced
    once it is complete, and left as it was when writing fails.
    """
    if output is None:
        echo = _Echo()
        write(echo)
        if not echo.ended_line:
            typer.echo("")
        return
    _check_target(output)
    try:
        if output.exists() and not output.is_file():
            with output.open("w", encoding="utf-8", newline="") as stream:
                write(stream)
        else:
            with replacing(output) as binary:
                text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
                write(text)
                text.flush()
                text.detach()
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


class _Echo:
    """Hand each piece to ``typer.echo``, as :func:`write_output` prints a whole text."""

    ended_line = True

    def write(self, text: str, /) -> int:
        if text:
            typer.echo(text, nl=False)
            self.ended_line = text.endswith("\n")
        return len(text)


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
    "stream_output",
    "write_output",
]
