"""Template placeholders left unfilled.

A spec copied from a template keeps the template's tokens until someone writes the real
value: ``{{author-name}}`` (or ``{ { hours } }``, as YAML formatters rewrite it),
``[Feature Name]``, ``[DRAFT | UNDER_REVIEW | APPROVED]``,
``[100 requests/second]``, ``YYYY-MM-DD`` or ``SEV-X``. Every line counts, front matter
included, and each token is one finding at its own column.

Real Markdown is never a placeholder: links ``[text](url)``, reference links
``[text][ref]``, their definitions and the shortcut references they define, task
boxes ``[ ]`` and ``[x]``, footnotes ``[^1]``, alerts ``[!NOTE]``, escaped ``\\[``,
brackets without a letter such as ``[1, 2]``, and real values such as ``SEV-2`` or
``2024-05-02``. Inside code blocks and inline code only ``{{…}}`` counts, so JSON
arrays and date formats in code pass; in front matter brackets are YAML lists and do
not count either.

Options: ``patterns`` replaces the default token patterns (regular expressions) and
``extra_patterns`` adds to them; a pattern that does not compile, or that matches
empty text, is a configuration error. Where matches overlap, the earliest and then the
longest is the token. A match that starts with ``[`` gets the link and front-matter
exceptions above.

Fails::

    ---
    author: '{{author-name}}'
    ---
    **Author**: [Name]
    **Created**: YYYY-MM-DD

Passes::

    ---
    author: 'Dana Whitfield'
    tags: [integration, payments]
    ---
    **Author**: Dana Whitfield, see [the runbook](https://wiki.example.com/payments)
    **Created**: 2024-05-02
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from interlock.documents.model import Document
from interlock.model.finding import Problem, Severity
from interlock.validate import user_patterns
from interlock.validate.rule import OptionProblem
from interlock.validate.rules import _option_checks, _text_scan

ID = "IL201"
NAME = "placeholder"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
# Each default pattern starts with a literal character, which keeps the scan fast; the
# checks a leading look-behind would make are done in code instead.
_MUSTACHE = r"\{ ?\{ *[^{}\s][^{}\n]*\} ?\}"
OPTIONS: Mapping[str, Any] = {
    "patterns": [
        # ``{ { hours } }`` is how YAML formatters rewrite ``{{hours}}``.
        _MUSTACHE,
        # Letters are kept out of the first run so that a long unclosed bracket is
        # read once, not once per letter.
        r"\[(?![xX]\]|[!^])[^\[\]\nA-Za-z]*[A-Za-z][^\[\]\n]*\]",
        r"YYYY-MM-DD(?![\w-])",
        r"SEV-X(?![\w-])",
    ],
    "extra_patterns": [],
}
FIX = "replace the template token with the real value, or delete the line"
KINDS = None
SCOPE = "document"

_DEFAULTS = frozenset(OPTIONS["patterns"])
"""Our own patterns (some use lookahead): they stay on :mod:`re` when a user keeps them."""
_CODE_TOKEN = re.compile(_MUSTACHE)
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:", re.MULTILINE)
_SHOWN = 60


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report patterns that do not compile or that match empty text."""
    for option in ("patterns", "extra_patterns"):
        yield from _option_checks.pattern_problems(
            option, options[option], may_match_nothing=False, reviewed=_DEFAULTS
        )


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    text = doc.text
    front_matter_end = doc.body_line if doc.front_matter is not None else 1
    code_lines = doc.code_lines
    lines = doc.lines
    code_spans: dict[int, list[tuple[int, int]]] = {}
    definitions: frozenset[str] | None = None
    tokens = _tokens(text, _compile(*options["patterns"], *options["extra_patterns"]))
    for start, line, column, token in _text_scan.locate(text, tokens):
        if line in code_lines or _text_scan.in_code_span(lines[line - 1], line, column, code_spans):
            # Code is quoted material: only a mustache token is unfilled there.
            yield from _mustache_tokens(token, line, column)
            continue
        if token[0] == "[":
            if definitions is None:
                definitions = _definitions(text)
            if line < front_matter_end or _is_markdown(text, start, column, token, definitions):
                # A YAML list or a link is real syntax, but a token inside it is not.
                yield from _mustache_tokens(token, line, column)
                continue
        shown = token if len(token) <= _SHOWN else token[: _SHOWN - 1] + "…"
        yield Problem(line, column + 1, f"unfilled placeholder {shown!r}")


def _tokens(text: str, patterns: Sequence[user_patterns.Pattern]) -> list[tuple[int, str]]:
    """Return every match of the patterns by position; the earliest, longest one wins."""
    found = [
        (match.start(), -match.end(), match.group())
        for pattern in patterns
        for match in pattern.finditer(text)
        if match.end() > match.start()
    ]
    if len(patterns) > 1:
        found.sort()
    tokens: list[tuple[int, str]] = []
    reached = 0
    for start, negative_end, token in found:
        if start >= reached:
            tokens.append((start, token))
            reached = -negative_end
    return tokens


def _mustache_tokens(token: str, line: int, column: int) -> Iterator[Problem]:
    for inner in _CODE_TOKEN.finditer(token):
        yield Problem(line, column + inner.start() + 1, f"unfilled placeholder {inner.group()!r}")


def _is_markdown(
    text: str, start: int, column: int, token: str, definitions: frozenset[str]
) -> bool:
    """Return whether a bracketed match is Markdown syntax rather than a template token."""
    before = text[start - 1 : start] if start else ""
    if before in ("\\", "]"):
        # An escaped bracket is literal text; ``[ref]`` after ``[text]`` is a reference.
        return True
    end = start + len(token)
    after = text[end : end + 1]
    if after in ("(", "["):
        return True
    if after == ":" and column <= 3 and not text[start - column : start].strip():
        return True
    return " ".join(token[1:-1].casefold().split()) in definitions


def _definitions(text: str) -> frozenset[str]:
    """Return the labels of the document's link reference definitions."""
    if "]:" not in text:
        return frozenset()
    return frozenset(" ".join(label.casefold().split()) for label in _DEFINITION.findall(text))


@lru_cache(maxsize=16)
def _compile(*patterns: str) -> tuple[user_patterns.Pattern, ...]:
    """Compile the token patterns once per distinct configuration."""
    return user_patterns.compile_patterns(patterns, reviewed=_DEFAULTS)
