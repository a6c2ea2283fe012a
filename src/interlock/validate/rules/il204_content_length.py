"""A spec too short to say anything a reviewer can check.

A spec that is little more than its headings has not been written yet. The rule counts
the words of the body with the Markdown stripped (headings, HTML comments and front
matter do not count; table cells, lists and code do) and reports a body shorter than
``min_words`` (0 turns the check off). Template tokens such as
``{{Describe the data flow}}`` are not words.
It applies to specs, integration specs, Integration Points documents and interview
summaries; workflow notes may be short. A spec that says nothing must not pass review,
so this is an error under ``review`` and ``production`` and a warning under ``draft``.

Fails::

    # Payments Integration

    ## Overview and Context

    We call the payment API.

Passes::

    # Payments Integration

    ## Overview and Context

    The order service charges customer cards through the payment provider's REST API
    when an order is confirmed ... (150 words or more in the whole body)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind
from interlock.model.finding import Problem, Severity
from interlock.validate.rule import OptionProblem

ID = "IL204"
NAME = "content-length"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {"min_words": 150}
FIX = "write the sections out: what is integrated, how, and what happens when it fails"
KINDS = frozenset(
    {
        DocumentKind.SPECKIT,
        DocumentKind.INTEGRATION_SPEC,
        DocumentKind.INTEGRATION_POINTS,
        DocumentKind.INTERVIEW_SUMMARY,
    }
)
SCOPE = "document"

# A placeholder is matched as a whole, and yields no word group, so its words are
# skipped; the bound keeps an unclosed ``{{`` from scanning the rest of the text.
_WORD_OR_PLACEHOLDER = re.compile(r"\{ ?\{[^{}]{0,2000}\} ?\}|([^\W_]+(?:['’.-][^\W_]+)*)")
_PLACEHOLDER = re.compile(r"\{ ?\{[^{}]{0,2000}\} ?\}")
_LONGEST_PLACEHOLDER = 2006
# Counting stops once the minimum is reached, so a long body is read a window at a time.
_CHARACTERS_PER_WORD = 12


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report a negative minimum."""
    if options["min_words"] < 0:
        yield OptionProblem("min_words", "must be 0 (no minimum) or more")


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    minimum = int(options["min_words"])
    if minimum <= 0:
        return
    text = doc.plain_text
    if _plainly_long_enough(text, minimum):
        return
    words = 0
    start = 0
    window = minimum * _CHARACTERS_PER_WORD
    while start < len(text):
        end = text.find(" ", start + window)
        end = len(text) if end == -1 else _outside_placeholder(text, start, end)
        found = _WORD_OR_PLACEHOLDER.findall(text, start, end)
        words += len(found) - found.count("")
        if words >= minimum:
            return
        start = end
    noun = "word" if words == 1 else "words"
    yield Problem(
        doc.body_line,
        1,
        f"the body has {words} {noun}, fewer than the minimum of {minimum}",
    )


def _outside_placeholder(text: str, start: int, end: int) -> int:
    """Return ``end``, or the end of the placeholder (``{{ … }}``, ``{ { … } }``) it cuts:
    cut in two, its second half would count as words."""
    reach = _LONGEST_PLACEHOLDER
    for match in _PLACEHOLDER.finditer(text, max(start, end - reach), end + reach):
        if match.start() < end < match.end():
            return match.end()
    return end


def _plainly_long_enough(text: str, minimum: int) -> bool:
    """Return whether the start of ``text`` plainly holds ``minimum`` words.

    A blank-separated token of letters and digits only is one word (the pattern above
    finds exactly one in it), so counting those gives a lower bound in a fraction of
    the time the pattern takes. Placeholders, whose words do not count, open with a
    brace, so only the text before the first brace is counted.
    """
    window = text[: minimum * _CHARACTERS_PER_WORD * 2]
    brace = window.find("{")
    if brace != -1:
        window = window[:brace]
    return sum(map(str.isalnum, window.split())) >= minimum
