"""Render errors once, at the edge: the only place an exception meets the user.

| Error             | What the user sees                                  | Exit |
| ----------------- | --------------------------------------------------- | ---- |
| InterlockError    | ``path:line: error: message`` then ``hint: …``      | 2    |
| Ctrl-C            | "Interrupted" (commands add what was saved)         | 130  |
| anything else     | "unexpected error" and the path of a log file       | 3    |

Under ``--json`` (a command whose ``as_json`` is set) an error is printed to stdout as
JSON instead, so that a script reads one format: ``{"error": {"type", "message",
"path", "line", "column", "hint"}}``, with the same exit codes; an unexpected error
adds ``"log"``.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from interlock.errors import InterlockError

EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130

_P = ParamSpec("_P")
_R = TypeVar("_R")


def handled(command: Callable[_P, _R]) -> Callable[_P, _R]:
    """Wrap a command so that errors reach the user as messages and exit codes."""

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        as_json = kwargs.get("as_json") is True
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except InterlockError as error:
            if as_json:
                echo_json_error(error)
            else:
                show_error(error)
            raise typer.Exit(EXIT_USAGE) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception:
            log = _write_log()
            message = f"unexpected error; details were written to {log}"
            if as_json:
                _echo_json({"type": "UnexpectedError", "message": message, "log": str(log)})
            else:
                typer.echo(f"interlock: {message}\nPlease report it with that file.", err=True)
            raise typer.Exit(EXIT_UNEXPECTED) from None

    return run


def show_error(error: InterlockError) -> None:
    """Print ``error`` to stderr as ``where: error: message`` plus its hint."""
    where = error.location()
    prefix = f"{where}: error: " if where else "error: "
    typer.echo(f"{prefix}{printable(error.message)}", err=True)
    if error.hint:
        typer.echo(f"hint: {printable(error.hint)}", err=True)


def echo_json_error(error: InterlockError) -> None:
    """Print ``error`` to stdout as ``{"error": {...}}``, for a command run with --json."""
    _echo_json(
        {
            "type": type(error).__name__,
            "message": error.message,
            "path": None if error.path is None else str(error.path),
            "line": error.line,
            "column": error.column,
            "hint": error.hint,
        }
    )


def _echo_json(error: dict[str, Any]) -> None:
    typer.echo(json.dumps({"error": error}, indent=2, ensure_ascii=False))


def printable(text: str) -> str:
    """Return ``text`` with what could drive the terminal replaced by U+FFFD."""
    # File content echoed in a message must not drive the terminal.
    return "".join(char if char.isprintable() or char == "\n" else "\ufffd" for char in text)


def _write_log() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"interlock-{stamp}-", suffix=".log", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(f"interlock {' '.join(sys.argv[1:])}\n\n")
        handle.write(traceback.format_exc())
    return Path(handle.name)


__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_UNEXPECTED",
    "EXIT_USAGE",
    "echo_json_error",
    "handled",
    "printable",
    "show_error",
]
