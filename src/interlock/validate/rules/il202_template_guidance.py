"""Template guidance comments left in a spec.

The integration specification template explains each section in an HTML comment that
starts with ``PURPOSE:`` and lists ``TIPS:``. The comments are invisible once rendered,
but in the source they are noise for every reviewer and a sign that the section may
still be template text. Each comment containing one of the ``markers`` (matched with
their case) is one finding, at the comment's first line. Comments that drive the
validator, ``<!-- interlock-disable … -->`` and ``<!-- interlock-enable … -->``, never
count; a comment without a marker is the author's own note and passes.

Fails::

    ## Overview and Context

    <!--
      PURPOSE: Provide a high-level overview of the integration
      TIPS:
      - Explain why this integration is needed
    -->

Passes::

    ## Overview and Context

    <!-- Reviewed with the payments team on 2024-05-02. -->
    The order service charges cards through the payment provider's REST API.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document
from interlock.model.finding import Problem, Severity
from interlock.validate.rule import OptionProblem
from interlock.validate.rules import _option_checks

ID = "IL202"
NAME = "template-guidance"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {"markers": ["PURPOSE:", "TIPS:"]}
FIX = "delete the template's guidance comment once the section is written"
KINDS = None
SCOPE = "document"

_DIRECTIVES = ("interlock-disable", "interlock-enable")
_SHOWN = 60


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report empty markers, which every comment would contain."""
    yield from _option_checks.blank_problems("markers", options["markers"])


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    markers: list[str] = options["markers"]
    for comment in doc.comments:
        text = comment.text
        if text.lstrip().startswith(_DIRECTIVES):
            continue
        found = [marker for marker in markers if marker in text]
        if not found:
            continue
        yield Problem(
            comment.line,
            doc.line(comment.line).find("<!--") + 1 or 1,
            f"template guidance comment left in the document: {_summary(text, found[0])!r}",
        )


def _summary(text: str, marker: str) -> str:
    """Return the comment's line holding ``marker``, shortened for the message."""
    start = text.find(marker)
    end = text.find("\n", start)
    shown = text[start : end if end != -1 else len(text)].strip()
    return shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
