"""Reporters: turn a finished validation run into text, JSON, SARIF, JUnit, GitHub or Markdown.

Each format is a module with ``render(result, *, color=False) -> str``. Reporters never
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


def render_report(result: RunResult, fmt: str, *, color: bool = False) -> str:
    """Return ``result`` in format ``fmt``; raise :class:`UsageError` for an unknown format."""
    renderer = FORMATS.get(fmt)
    if renderer is None:
        known = ", ".join(FORMATS)
        raise UsageError(f"unknown report format {fmt!r}; choose one of: {known}")
    return renderer(result, color=color)


__all__ = ["FORMATS", "Renderer", "render_report"]
