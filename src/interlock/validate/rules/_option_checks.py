"""Checks that rules' ``check_options`` share, and the compiling of checked patterns.

A rule's options are checked when the configuration is loaded (see
:mod:`interlock.validate.rule`), so a regular expression that does not compile or a
value outside a fixed set is a configuration error with its file and line, never a
failure while a spec is checked. Once checked, patterns are compiled by
:func:`compile_patterns`, cached by the caller, since options change far less often
than documents.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from interlock.validate.rule import OptionProblem

_REGEX_HINT = "patterns are Python regular expressions; quote them in single quotes in YAML"


def pattern_problems(
    option: str, patterns: Iterable[Any], *, may_match_nothing: bool = True
) -> Iterator[OptionProblem]:
    """Yield a problem for each item of ``patterns`` that is not a usable regex.

    Args:
        may_match_nothing: whether a pattern may match empty text; a pattern that
            finds things to report must not, or it would match at every position.
    """
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str):
            continue  # the loader reports items of the wrong type
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            yield OptionProblem(
                option, f"{pattern!r} is not a regular expression ({error})", index, _REGEX_HINT
            )
            continue
        if not may_match_nothing and compiled.match("") is not None:
            yield OptionProblem(
                option,
                f"{pattern!r} matches empty text, so it would match everywhere",
                index,
                "make the pattern match at least one character",
            )


def choice_problems(
    option: str, values: Iterable[Any], allowed: Collection[str]
) -> Iterator[OptionProblem]:
    """Yield a problem for each item of ``values`` that is not one of ``allowed``."""
    for index, value in enumerate(values):
        if isinstance(value, str) and value not in allowed:
            yield OptionProblem(option, f"{value!r} is not one of {', '.join(allowed)}", index)


def blank_problems(option: str, values: Iterable[Any]) -> Iterator[OptionProblem]:
    """Yield a problem for each empty or blank text in ``values`` (it would match anything)."""
    for index, value in enumerate(values):
        if isinstance(value, str) and not value.strip():
            yield OptionProblem(option, "an empty text would match everywhere", index)


def compile_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Compile patterns that :func:`pattern_problems` has passed, in order."""
    return tuple(re.compile(pattern) for pattern in patterns)


__all__ = ["blank_problems", "choice_problems", "compile_patterns", "pattern_problems"]
