"""Progress of long work on stderr: files done of total, or the stage a command is at.

On a terminal, a run that lasts longer than a moment (1.5 s, or
``INTERLOCK_PROGRESS_DELAY`` seconds) shows one Rich progress line on stderr, redrawn
at most ten times a second and erased when the run ends, before the command prints
its result. It never shows when stderr is not a terminal, under ``CI=true``, or with
``--quiet``: :func:`show_progress` then gives a reporter that does nothing, so a
command reports progress without asking whether anyone sees it.

A report costs the work one attribute store. A thread of the reporter's own waits
out the delay, only then imports Rich, and from then on reads the latest figures
and draws them, so a fast run neither draws nor imports anything, and a slow one
pays for at most ten frames a second whatever the number of files.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

DELAY_VARIABLE = "INTERLOCK_PROGRESS_DELAY"
"""Seconds a run lasts before its progress shows (tests set 0)."""
DEFAULT_DELAY = 1.5
_FRAME = 0.1
"""Seconds between two frames: at most ten a second."""
_RATE_WINDOW = 50
"""Frames the rate is measured over (5 s), so it follows a run that speeds up."""
_JOIN_TIMEOUT = 2.0
_CI_TRUE = frozenset({"true", "1", "yes"})


class FilesDone(Protocol):
    """What a long run calls as files finish: ``done`` of ``total`` files so far."""

    def __call__(self, done: int, total: int) -> None: ...


class Progress(FilesDone, Protocol):
    """A command's progress: files done of total, and the stage it is at."""

    def stage(self, text: str) -> None:
        """Say what the command is doing now, e.g. ``resolving references``."""


def running_in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Return whether a CI service runs the command (they set ``CI=true``)."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in _CI_TRUE


def progress_enabled(
    *, quiet: bool, environ: Mapping[str, str] | None = None, stream: TextIO | None = None
) -> bool:
    """Return whether progress may show: not ``quiet``, not in CI, stderr a terminal."""
    environ = os.environ if environ is None else environ
    if quiet or running_in_ci(environ) or environ.get("TERM") == "dumb":
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def progress_delay(environ: Mapping[str, str] | None = None) -> float:
    """Return the seconds a run lasts before its progress shows (default 1.5)."""
    given = (os.environ if environ is None else environ).get(DELAY_VARIABLE, "")
    try:
        delay = float(given)
    except ValueError:
        return DEFAULT_DELAY
    return delay if 0 <= delay < float("inf") else DEFAULT_DELAY


@contextlib.contextmanager
def show_progress(
    stage: str, *, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Progress]:
    """Show the progress of the work done in the ``with`` block, starting at ``stage``.

    The line is drawn on ``stream`` (default: stderr) and erased when the block ends,
    however it ends, so what the command prints afterwards is all that stays on the
    terminal.
    """
    stream = sys.stderr if stream is None else stream
    if not progress_enabled(quiet=quiet, stream=stream):
        yield _SILENT
        return
    line = _ProgressLine(stage, stream)
    line.start(progress_delay())
    try:
        yield line
    finally:
        line.close()


class _Silent:
    """Progress nobody sees: every report is dropped."""

    def __call__(self, done: int, total: int) -> None:
        pass

    def stage(self, text: str) -> None:
        pass


_SILENT = _Silent()


class _ProgressLine:
    """Progress drawn on a terminal by a thread of its own, from the latest figures."""

    def __init__(self, stage: str, stream: TextIO) -> None:
        self._stage = stage
        # One tuple, stored whole, so the drawing thread never reads a done of one
        # report with the total of another.
        self._files: tuple[int, int] | None = None
        self._stream = stream
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, done: int, total: int) -> None:
        self._files = (done, total)

    def stage(self, text: str) -> None:
        self._stage = text

    def start(self, delay: float) -> None:
        """Start drawing once ``delay`` seconds have passed, unless closed before."""
        self._thread = threading.Thread(
            target=self._draw, args=(delay,), name="interlock-progress", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop drawing and erase the line; return once it is erased."""
        self._closed.set()
        if self._thread is not None:
            self._thread.join(_JOIN_TIMEOUT)

    def _draw(self, delay: float) -> None:
        if self._closed.wait(delay):
            return
        # Progress is a courtesy: a terminal Rich cannot draw on must not fail the run.
        with contextlib.suppress(Exception):
            progress = _rich_progress(self._stream)
            task = progress.add_task(self._stage, total=None, detail="")
            with progress:
                self._frames(progress, task)

    def _frames(self, progress: RichProgress, task: TaskID) -> None:
        began = time.monotonic()
        samples: deque[tuple[float, int]] = deque(maxlen=_RATE_WINDOW)
        while True:
            now, files = time.monotonic(), self._files
            if files is None:
                detail, total, done = _clock(now - began), None, 0
            else:
                done, total = files
                samples.append((now, done))
                detail = _files_detail(done, total, samples)
            progress.update(
                task, description=self._stage, total=total, completed=done, detail=detail
            )
            progress.refresh()
            if self._closed.wait(_FRAME):
                return


def _rich_progress(stream: TextIO) -> RichProgress:
    # Imported here: only a run slow enough to show its progress pays for Rich.
    from rich.console import Console
    from rich.progress import BarColumn, SpinnerColumn, TextColumn
    from rich.progress import Progress as RichProgress

    return RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.fields[detail]}", markup=False),
        console=Console(file=stream),
        auto_refresh=False,  # the drawing thread paces the frames
        transient=True,
        # Rich would otherwise route the command's own stdout through the bar's
        # console, onto stderr; the command prints only once the bar is gone.
        redirect_stdout=False,
        redirect_stderr=False,
    )


def _files_detail(done: int, total: int, samples: deque[tuple[float, int]]) -> str:
    """Return ``120/2,000 files · 812 files/s · 0:02 left`` (rate and time when known)."""
    parts = [f"{done:,}/{total:,} files"]
    (first, first_done), (last, last_done) = samples[0], samples[-1]
    if last - first >= 2 * _FRAME and last_done > first_done:
        rate = (last_done - first_done) / (last - first)
        parts.append(f"{rate:,.0f} files/s")
        parts.append(f"{_clock(max(total - done, 0) / rate)} left")
    return " · ".join(parts)


def _clock(seconds: float) -> str:
    """Return ``seconds`` as ``m:ss``."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


__all__ = [
    "DEFAULT_DELAY",
    "DELAY_VARIABLE",
    "FilesDone",
    "Progress",
    "progress_delay",
    "progress_enabled",
    "running_in_ci",
    "show_progress",
]
