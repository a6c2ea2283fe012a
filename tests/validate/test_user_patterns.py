"""Patterns from configuration run in linear time, refuse what RE2 lacks, and match as ``re`` does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.validate.config import load_config
from interlock.validate.registry import find_rule
from interlock.validate.user_patterns import (
    Match,
    PatternError,
    compile_pattern,
    compile_patterns,
)
from support.rule_checks import config_error, run_rule

EVIL = "^(a+)+$"
"""Exponential for a backtracking engine on ``'a' * 30 + '!'``: minutes, not microseconds."""
LONG_RUN = "a" * 30 + "!"
HANG_GUARD = 10
"""Seconds a whole ``interlock validate`` of one small spec may take before it counts as hung."""


def test_a_catastrophic_pattern_is_searched_at_once() -> None:
    pattern = compile_pattern(EVIL)
    assert pattern.search(LONG_RUN) is None
    match = pattern.search("aaaa")
    assert match is not None and (match.start(), match.end(), match.group()) == (0, 4, "aaaa")


def test_offsets_count_characters_not_bytes() -> None:
    (match,) = compile_pattern("é+b").finditer("naïve: ééb")
    assert (match.start(), match.end(), match.group()) == (7, 10, "ééb")


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"(\w)\1", "backreferences"),
        (r"TODO(?!:)", "lookaround"),
        (r"(?<=owner: )\w+", "lookaround"),
        (r"end\Z", r"write \z"),
        (r"a{2000}", "counts over {1000}"),
    ],
    ids=["backreference", "lookahead", "lookbehind", "end-of-text", "large-count"],
)
def test_syntax_re2_lacks_is_refused_saying_why(pattern: str, words: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    assert caught.value.unsupported
    assert "RE2" in str(caught.value)
    assert words in str(caught.value)


def test_a_pattern_that_is_no_regex_gets_pythons_message() -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern("(unclosed")
    assert not caught.value.unsupported
    assert str(caught.value) == "missing ), unterminated subpattern at position 0"


def test_reviewed_patterns_stay_on_re_and_the_rest_on_re2() -> None:
    ours, theirs = compile_patterns([r"TODO(?!:)", r"FIXME"], reviewed={r"TODO(?!:)"})
    assert isinstance(ours, re.Pattern)
    assert not isinstance(theirs, re.Pattern)
    assert [ours.pattern, theirs.pattern] == [r"TODO(?!:)", "FIXME"]


def _config(root: Path, text: str) -> None:
    (root / ".interlock").mkdir(exist_ok=True)
    (root / ".interlock" / "config.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("rules", "line", "start"),
    [
        (
            "  placeholder:\n    options:\n      extra_patterns:\n        - 'TODO(?!:)'\n",
            5,
            "option 'extra_patterns' of rule placeholder: 'TODO(?!:)' is not supported (",
        ),
        (
            "  dangling-link:\n    options: {ignore: ['^JIRA-\\d+\\Z']}\n",
            3,
            "option 'ignore' of rule dangling-link: '^JIRA-\\\\d+\\\\Z' is not supported (",
        ),
    ],
    ids=["placeholder-lookahead", "dangling-link-end-of-text"],
)
def test_rule_option_syntax_re2_lacks_is_a_config_error(
    tmp_path: Path, rules: str, line: int, start: str
) -> None:
    error = config_error(tmp_path, rules)
    assert error.line == line
    assert error.message.startswith(start), error.message
    assert "RE2" in error.hint


def test_the_placeholder_defaults_may_be_kept_beside_a_new_pattern(tmp_path: Path) -> None:
    rule = find_rule("placeholder")
    assert rule is not None
    defaults = rule.options["patterns"]
    assert any("(?!" in pattern for pattern in defaults)  # they need Python's engine
    listed = "".join(f"        - '{pattern}'\n" for pattern in [*defaults, "<fill in>"])
    _config(tmp_path, f"rules:\n  placeholder:\n    options:\n      patterns:\n{listed}")
    setting = load_config(tmp_path).setting("placeholder")
    assert setting is not None
    problems = run_rule("placeholder", "# Spec\n\n[Name] and <fill in>\n", options=setting.options)
    assert [(problem.line, problem.column) for problem in problems] == [(3, 1), (3, 12)]


SPEC = f"""---
id: spec-evil-001
parent: {LONG_RUN}
---
# Evil

{LONG_RUN}
aaaa
aab
"""
CONFIG = f"""rules:
  placeholder:
    options:
      extra_patterns: ['(a+)+b']
  dangling-link:
    options:
      ignore: ['{EVIL}']
custom_rules:
  - name: only-as
    pattern: '{EVIL}'
    message: a line of nothing but a
"""


def test_a_run_with_catastrophic_patterns_finishes_with_the_right_findings(
    tmp_path: Path,
) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "evil.md").write_text(SPEC, encoding="utf-8")
    _config(tmp_path, CONFIG)
    # A subprocess, so that a regression hangs only the child, which the timeout kills.
    done = subprocess.run(
        [sys.executable, "-m", "interlock", "validate", "--format", "json", "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)["findings"]

    def lines(rule: str) -> list[int]:
        return [finding["line"] for finding in findings if finding["rule"] == rule]

    assert lines("only-as") == [8]
    assert lines("placeholder") == [9]
    assert lines("dangling-link") == [3]


# Literals, classes, repetition and alternation over ASCII text: the syntax on which
# RE2 and Python agree (``\w``, ``\b`` and case folding differ beyond ASCII).
SAFE_ATOMS = st.sampled_from(["a", "b", "c", "x", "[ab]", "[^a]", "[a-c]", ".", r"\d", r"\s"])
SAFE_TEXT = st.text(alphabet="abcx1 \n", max_size=30)


def _grown(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    parts = st.lists(inner, min_size=2, max_size=3)
    return st.one_of(
        st.builds("(?:{}){}".format, inner, st.sampled_from(["*", "+", "?", "*?", "+?", "??"])),
        parts.map("".join),
        parts.map(lambda items: "(" + "|".join(items) + ")"),
    )


SAFE_PATTERNS = st.recursive(SAFE_ATOMS, _grown, max_leaves=8)


def _seen(match: Match | None) -> tuple[int, int, str] | None:
    return None if match is None else (match.start(), match.end(), match.group())


@given(pattern=SAFE_PATTERNS, text=SAFE_TEXT)
def test_re2_finds_what_re_finds_for_simple_patterns(pattern: str, text: str) -> None:
    ours, python = compile_pattern(pattern), re.compile(pattern)
    assert _seen(ours.search(text)) == _seen(python.search(text))
    if python.search("") is None:
        # After an empty match the engines resume differently; a pattern that cannot
        # match empty text (what the placeholder rule demands) never meets that.
        assert [_seen(m) for m in ours.finditer(text)] == [_seen(m) for m in python.finditer(text)]
