"""The caps every bank expression and template runs within, and the run they count in.

:class:`Limits` says how much one value, one output and one run may take;
:func:`run_limits` starts a run, whose deadline and output count live in a context
variable: nested evaluations (every condition of one walk over a bank) share one
deadline, and threads serving different requests share none.
:mod:`interlock.interview.bounded` is the Jinja environment that enforces them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import islice
from typing import Any

from jinja2.exceptions import SecurityError

__all__ = [
    "LimitError",
    "Limits",
    "charge",
    "check_time",
    "limit_message",
    "nested_call",
    "run_limits",
    "text_size",
]


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps of one environment."""

    text: int
    """Longest string one operation may produce (characters)."""
    items: int
    """Most items a list, tuple or mapping one operation produces may hold."""
    digits: int
    """Most decimal digits of an integer one operation produces."""
    output: int
    """Most characters one render may write, buffers included."""
    seconds: float
    """Longest one run (a render, a walk over a bank) may take."""
    depth: int = 50
    """Deepest nesting of macro calls and recursive loops."""


class LimitError(SecurityError):
    """An expression or template asked for more than its limits allow."""


@dataclass(slots=True)
class _Run:
    limits: Limits
    deadline: float
    written: int = 0
    depth: int = 0


_RUN: ContextVar[_Run | None] = ContextVar("interlock_limits_run", default=None)


@contextmanager
def run_limits(limits: Limits) -> Iterator[None]:
    """Start a run under ``limits``, or join the run already under way."""
    if _RUN.get() is not None:
        yield
        return
    token = _RUN.set(_Run(limits, time.monotonic() + limits.seconds))
    try:
        yield
    finally:
        _RUN.reset(token)


@contextmanager
def nested_call(depth: int) -> Iterator[None]:
    """Count one more level of calls in the run under way, refusing more than ``depth``."""
    run = _RUN.get()
    if run is None:
        yield
        return
    if run.depth >= depth:
        raise LimitError(f"calls nest deeper than {depth}")
    run.depth += 1
    try:
        yield
    finally:
        run.depth -= 1


def limit_message(error: BaseException) -> str | None:
    """Return what to tell the user about a resource error, or None if it is not one."""
    if isinstance(error, RecursionError):
        return "it nests too deeply (a macro, include or extends that reaches itself?)"
    if isinstance(error, MemoryError):
        return "it needs more memory than is available"
    if isinstance(error, LimitError):
        return str(error)
    return None


def check_time() -> None:
    """Raise LimitError if the run under way is past its deadline."""
    run = _RUN.get()
    if run is not None and time.monotonic() > run.deadline:
        raise LimitError(f"it took longer than {run.limits.seconds:g} seconds")


def charge(size: int) -> None:
    """Count ``size`` characters written by the run under way, and check its deadline."""
    run = _RUN.get()
    if run is None:
        return
    run.written += size
    if run.written > run.limits.output:
        raise LimitError(f"it writes more than {run.limits.output:,} characters")
    if time.monotonic() > run.deadline:
        raise LimitError(f"it took longer than {run.limits.seconds:g} seconds")


def text_size(value: Any, limit: int) -> int:
    """Return about how long ``str(value)`` is, stopping soon after ``limit``."""
    total = 0
    pending = [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, str | bytes):
            total += len(item) + 2
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() * 30103 // 100000 + 2
        elif isinstance(item, float):
            total += 24
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            for key, inner in islice(item.items(), limit):
                pending += (key, inner)
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            pending.extend(islice(item, limit))
        else:
            try:
                total += len(str(item))
            except Exception:  # an undefined value fails when printed, not here
                total += 0
    return total
