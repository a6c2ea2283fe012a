"""Reporters: turn a finished validation run into text, JSON, SARIF, JUnit, GitHub or Markdown.

Each format is a module with ``render(result, *, color=False) -> str``. Every format
but Markdown also has ``write(result, stream, *, color=False)``, which writes the same
text to a stream as it goes, file by file or finding by finding: a large run reads its
findings back from disk as the report reaches them, and they can run to hundreds of
megabytes. Markdown, a page for a person to read, is built whole. Reporters never
print, never read the environment and never exit: the command line decides where the
text goes and which exit code follows. The formats are documented in
``docs/report-formats.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Protocol

from interlock.errors import UsageError
from interlock.report import github, json, junit, markdown, sarif, text
from interlock.report.json_text import Sink
from interlock.validate.result import RunResult


class Renderer(Protocol):
    """A format's ``render`` function; only the text format uses ``color``."""

    def __call__(self, result: RunResult, *, color: bool = False) -> str: ...


FORMATS: Mapping[str, Renderer] = MappingProxyType(
    {
        "text": text.render,
        "json": json.render,
        "sarif": sarif.render,
        "junit": junit.render,
        "github": github.render,
        "markdown": markdown.render,
    }
)
"""Every report format by name, in the order the command line lists them."""


class Writer(Protocol):
    """A format's ``write`` function: the report written to a stream as it is made."""

    def __call__(self, result: RunResult, stream: Sink, *, color: bool = False) -> None: ...


WRITERS: Mapping[str, Writer] = MappingProxyType(
    {
        "text": text.write,
        "json": json.write,
        "sarif": sarif.write,
        "junit": junit.write,
        "github": github.write,
    }
)
"""The formats that write as they go, never holding the whole report: all but markdown."""


def render_report(result: RunResult, fmt: str, *, color: bool = False) -> str:
    """Return ``result`` in format ``fmt``; raise :class:`UsageError` for an unknown format."""
    return _renderer(fmt)(result, color=color)


def write_report(result: RunResult, fmt: str, stream: Sink, *, color: bool = False) -> None:
    """Write ``result`` in format ``fmt`` to ``stream``: the same text as
    :func:`render_report`, written piece by piece where the format can."""
    renderer = _renderer(fmt)
    writer = WRITERS.get(fmt)
    if writer is not None:
        writer(result, stream, color=color)
    else:
        stream.write(renderer(result, color=color))


def _renderer(fmt: str) -> Renderer:
    renderer = FORMATS.get(fmt)
    if renderer is None:
        known = ", ".join(FORMATS)
        raise UsageError(f"unknown report format {fmt!r}; choose one of: {known}")
    return renderer


__all__ = ["FORMATS", "WRITERS", "Renderer", "Writer", "render_report", "write_report"]
