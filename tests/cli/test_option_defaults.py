"""Defaults the command line writes out (so `--help` loads no core) are the core's."""

from interlock.cli import options
from interlock.interview.answers import DEFAULT_BANK, AnswerSheet
from interlock.research import source


def test_research_defaults_match_the_core() -> None:
    assert options.DEFAULT_MAX_MIB * 1024 * 1024 == source.DEFAULT_MAX_BYTES
    assert options.DEFAULT_TIMEOUT == source.DEFAULT_TIMEOUT


def test_the_bank_of_a_new_interview_is_the_core_s() -> None:
    assert options.DEFAULT_BANK == DEFAULT_BANK == AnswerSheet(name="x").template
