"""Checks that rules' ``check_options`` share, and the compiling of checked patterns.

A rule's options are checked when the configuration is loaded (see
:mod:`interlock.validate.rule`), so a regular expression that does not compile (or
uses syntax RE2 lacks, see :mod:`interlock.validate.user_patterns`) or a value outside
a fixed set is a configuration error with its file and line, never a failure while a
spec is checked. Once checked, patterns are compiled by
:func:`interlock.validate.user_patterns.compile_patterns`, cached by the caller, since
options change far less often than documents.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from interlock.validate import user_patterns
from interlock.validate.rule import OptionProblem

_REGEX_HINT = (
    "patterns are regular expressions in RE2 syntax (Python's, without backreferences or "
    "lookaround); quote them in single quotes in YAML"
)


def pattern_problems(
    option: str,
    patterns: Iterable[Any],
    *,
    may_match_nothing: bool = True,
    reviewed: Collection[str] = (),
) -> Iterator[OptionProblem]:
    """Yield a problem for each item of ``patterns`` that is not a usable regex.

    Args:
        may_match_nothing: whether a pattern may match empty text; a pattern that
            finds things to report must not, or it would match at every position.
        reviewed: the rule's own default patterns, compiled with :mod:`re`.
    """
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str):
            continue  # the loader reports items of the wrong type
        try:
            (compiled,) = user_patterns.compile_patterns((pattern,), reviewed=reviewed)
        except user_patterns.PatternError as error:
            what = "is not supported" if error.unsupported else "is not a regular expression"
            yield OptionProblem(option, f"{pattern!r} {what} ({error})", index, _REGEX_HINT)
            continue
        if not may_match_nothing and compiled.search("") is not None:
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


__all__ = ["blank_problems", "choice_problems", "pattern_problems"]
