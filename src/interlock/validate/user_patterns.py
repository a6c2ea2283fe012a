"""Regular expressions from configuration, compiled for matching in linear time.

A pattern a team writes in ``.interlock/config.yaml`` (a custom rule, or a rule option
such as the placeholder rule's ``extra_patterns``) is searched in every line of every
spec. Python's backtracking engine can take exponential time on a pattern such as
``^(a+)+$``, so one careless pattern could hang a run, a CI job or the server. These
patterns are compiled with RE2, whose matching time grows linearly with the text.
RE2 reads Python's syntax except backreferences and lookaround, which it leaves out to
keep that guarantee, and a few rarer constructs (``\\Z`` is spelled ``\\z``); a pattern
using them is refused with a :class:`PatternError` saying so when the configuration is
loaded. The rules' built-in patterns are reviewed code and stay on :mod:`re`, which
satisfies the same :class:`Pattern` interface.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from typing import Protocol, cast

import re2

_LIMITS = (
    "RE2, which runs configured patterns in linear time, lacks backreferences (\\1), "
    "lookaround ((?=…), (?!…), (?<=…), (?<!…)), counts over {1000} and \\Z (write \\z)"
)
_OPTIONS = re2.Options()
# RE2 would also log each refused pattern to stderr, beside the user's report.
_OPTIONS.log_errors = False


class Match(Protocol):
    """One match of a :class:`Pattern`; offsets count characters, as :mod:`re` does."""

    def start(self) -> int: ...

    def end(self) -> int: ...

    def group(self) -> str: ...


class Pattern(Protocol):
    """What the validator does with a compiled pattern, whichever engine compiled it."""

    @property
    def pattern(self) -> str: ...

    def search(self, text: str, /) -> Match | None: ...

    def finditer(self, text: str, /) -> Iterator[Match]: ...


class PatternError(ValueError):
    """A configured pattern that cannot be used; ``str(error)`` says why.

    ``unsupported`` tells a valid Python pattern that RE2 refuses (a backreference,
    lookaround) from one that is no regular expression at all.
    """

    def __init__(self, reason: str, *, unsupported: bool) -> None:
        super().__init__(reason)
        self.unsupported = unsupported


def compile_pattern(text: str) -> Pattern:
    """Compile a pattern from configuration with RE2.

    Raises:
        PatternError: the pattern does not compile, or uses syntax RE2 lacks.
    """
    try:
        compiled = re2.compile(text, _OPTIONS)
    except re2.error as error:
        raise _refusal(text, error.args[0] if error.args else "") from None
    return cast(Pattern, compiled)


def compile_patterns(
    texts: Iterable[str], *, reviewed: Collection[str] = ()
) -> tuple[Pattern, ...]:
    """Compile checked patterns in order; those in ``reviewed`` (a rule's defaults) with :mod:`re`.

    A user who replaces a rule's default patterns often keeps some of them; those are
    the project's own, may use lookaround for speed, and are known to be safe.
    """
    return tuple(re.compile(text) if text in reviewed else compile_pattern(text) for text in texts)


def _refusal(text: str, detail: bytes | str) -> PatternError:
    """Explain why RE2 refused ``text``: a plain mistake, or syntax it lacks."""
    try:
        re.compile(text)
    except re.error as error:
        # Python's message names the position; the pattern is only compiled, never run.
        return PatternError(str(error), unsupported=False)
    reason = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else detail
    return PatternError(f"{reason}; {_LIMITS}", unsupported=True)


__all__ = ["Match", "Pattern", "PatternError", "compile_pattern", "compile_patterns"]
