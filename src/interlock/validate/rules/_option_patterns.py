"""Compiling the regular expressions that users give rules as options.

A pattern that does not compile is a mistake in the configuration, not in a spec, so
it raises :class:`~interlock.errors.ConfigError` naming the rule, the option and the
pattern. Callers cache the result, since options change far less often than
documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from interlock.errors import ConfigError

Invalid = Callable[[str, re.error], ConfigError]
"""Build the error for a pattern that does not compile, from the pattern and the cause."""


def compile_option(
    patterns: Iterable[str], *, rule: str, option: str
) -> tuple[re.Pattern[str], ...]:
    """Compile the patterns of a rule's option, raising a ConfigError for a bad one."""

    def invalid(pattern: str, error: re.error) -> ConfigError:
        return ConfigError(
            f"option {option!r} of rule {rule}: {pattern!r} is not a regular expression ({error})"
        )

    return compile_patterns(patterns, invalid)


def compile_patterns(patterns: Iterable[str], invalid: Invalid) -> tuple[re.Pattern[str], ...]:
    """Compile each pattern in order, raising ``invalid(pattern, error)`` at the first bad one."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise invalid(pattern, error) from error
    return tuple(compiled)
