from interlock.validate.rule import OptionProblem
from interlock.validate.rules._option_checks import (
    blank_problems,
    choice_problems,
    pattern_problems,
)


def test_each_pattern_that_does_not_compile_is_named_with_its_place() -> None:
    problems = list(pattern_problems("allow", ["^ok$", "(unclosed", "[", 7]))
    assert [(problem.option, problem.item) for problem in problems] == [("allow", 1), ("allow", 2)]
    assert problems[0].message.startswith("'(unclosed' is not a regular expression (")
    assert "regular expressions" in problems[0].hint


def test_a_pattern_matching_empty_text_is_refused_only_where_that_matters() -> None:
    assert list(pattern_problems("ignore", ["", "x*"])) == []
    problems = list(pattern_problems("patterns", ["x*", "TODO"], may_match_nothing=False))
    assert [problem.item for problem in problems] == [0]
    assert "matches empty text" in problems[0].message


def test_values_outside_the_allowed_set_are_named() -> None:
    problems = list(choice_problems("relations", ["parent", "depends"], ("parent", "related")))
    assert problems == [
        OptionProblem("relations", "'depends' is not one of parent, related", 1),
    ]


def test_blank_markers_are_refused() -> None:
    problems = list(blank_problems("markers", ["TBD", " ", ""]))
    assert [problem.item for problem in problems] == [1, 2]
