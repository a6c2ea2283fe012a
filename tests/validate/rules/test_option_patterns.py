import re

import pytest

from interlock.errors import ConfigError
from interlock.validate.rules._option_patterns import compile_option, compile_patterns


def test_compile_option_compiles_each_pattern_in_order() -> None:
    patterns = compile_option(["^JIRA-\\d+$", "example"], rule="dangling-link", option="ignore")

    assert [pattern.pattern for pattern in patterns] == ["^JIRA-\\d+$", "example"]
    assert patterns[0].search("JIRA-12")


def test_compile_option_names_rule_option_and_pattern() -> None:
    with pytest.raises(ConfigError) as raised:
        compile_option(["ok", "(unclosed"], rule="secret", option="allow")

    assert str(raised.value).startswith(
        "option 'allow' of rule secret: '(unclosed' is not a regular expression ("
    )
    assert isinstance(raised.value.__cause__, re.error)


def test_compile_patterns_raises_the_callers_error_for_the_first_bad_pattern() -> None:
    seen: list[str] = []

    def invalid(pattern: str, error: re.error) -> ConfigError:
        seen.append(pattern)
        return ConfigError(f"bad {pattern}", hint="fix it")

    with pytest.raises(ConfigError, match=r"^bad \[$"):
        compile_patterns(["a", "[", "("], invalid)
    assert seen == ["["]


def test_compile_patterns_of_nothing_is_empty() -> None:
    assert compile_patterns([], lambda pattern, error: ConfigError(pattern)) == ()
