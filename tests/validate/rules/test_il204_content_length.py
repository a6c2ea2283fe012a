import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.documents.model import DocumentKind
from interlock.documents.parser import parse_document
from support.rule_checks import assert_findings, blank_path, blank_template, config_error, run_rule

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"
FRONT_MATTER = "---\nid: spec-payments-001\ntitle: Payments\n---\n"


def _words(count: int) -> str:
    return " ".join(f"word{number}" for number in range(count))


def test_short_body_is_reported_at_the_body_line_with_count_and_minimum() -> None:
    text = FRONT_MATTER + "\n# Payments\n\n## Overview\n\nWe call the payment API.\n"
    (problem,) = assert_findings("content-length", text, [(5, 1)])
    assert "5 words" in problem.message
    assert "150" in problem.message


def test_headings_and_comments_are_not_counted() -> None:
    headings = "".join(f"## Heading number {n}\n\n" for n in range(60))
    comment = f"<!-- {_words(200)} -->\n"
    text = f"# Spec\n\n{headings}{comment}Short body.\n"
    (problem,) = assert_findings("content-length", text, [(1, 1)])
    assert "2 words" in problem.message


def test_placeholders_are_not_words() -> None:
    placeholders = " ".join(["{{Describe the data flow between the two systems}}"] * 40)
    text = f"# Spec\n\n{placeholders}\n\nOne real sentence here.\n"
    (problem,) = assert_findings("content-length", text, [(1, 1)])
    assert "4 words" in problem.message


def test_words_are_counted_not_characters() -> None:
    long_words = " ".join(["internationalisation"] * 149)
    assert_findings("content-length", f"# Spec\n\n{long_words}\n", [(1, 1)])


def test_body_at_the_minimum_passes() -> None:
    assert_findings("content-length", f"# Spec\n\n{_words(150)}\n", [])


def test_tables_lists_and_code_count() -> None:
    rows = "".join(f"| {_words(3)} | {_words(2)} |\n" for _ in range(10))
    items = "".join(f"- {_words(5)}\n" for _ in range(10))
    code = f"```\n{_words(50)}\n```\n"
    text = f"# Spec\n\n| a | b |\n| - | - |\n{rows}\n{items}\n{code}"
    assert_findings("content-length", text, [])


def test_min_words_option() -> None:
    text = "# Spec\n\nOne two three.\n"
    assert_findings("content-length", text, [], options={"min_words": 3})
    assert_findings("content-length", text, [(1, 1)], options={"min_words": 4})


def test_long_placeholder_across_the_counting_window_is_not_counted() -> None:
    # The counter reads the text a window at a time; a placeholder that crosses the
    # window's edge must still be skipped as a whole.
    filler = _words(9)
    placeholder = "{{" + _words(60) + "}}"
    text = f"# Spec\n\n{filler} {placeholder}\n"
    (problem,) = assert_findings("content-length", text, [(1, 1)], options={"min_words": 10})
    assert "9 words" in problem.message


@pytest.mark.parametrize(
    ("kind", "applies"),
    [
        (DocumentKind.SPECKIT, True),
        (DocumentKind.INTEGRATION_SPEC, True),
        (DocumentKind.INTEGRATION_POINTS, True),
        (DocumentKind.INTERVIEW_SUMMARY, True),
        (DocumentKind.WORKFLOW_NOTE, False),
        (DocumentKind.MARKDOWN, False),
    ],
    ids=lambda value: str(value),
)
def test_kinds(kind: DocumentKind, applies: bool) -> None:
    problems = run_rule("content-length", "# Note\n\nShort.\n", kind=kind)
    assert bool(problems) is applies


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_filled_in_documents_pass(name: str) -> None:
    assert_findings("content-length", (FIXTURES / name).read_text(encoding="utf-8"), [])


_PIECES = st.sampled_from(
    ["word", "x1", "don't", "a.b", "-", "_", "{{", "}}", "{ {", "} }", "{{ a b }}", "é", "½"]
)


@given(pieces=st.lists(_PIECES, max_size=40), minimum=st.integers(1, 12))
def test_the_quick_count_never_passes_a_body_the_exact_count_fails(
    pieces: list[str], minimum: int
) -> None:
    # The rule first counts plain tokens, a lower bound; only when that falls short
    # does it count exactly. Any text must get the exact count's verdict.
    text = "# Spec\n\n" + " ".join(pieces) + "\n"
    plain = parse_document(text, path=Path("spec.md")).plain_text
    exact = re.compile(r"\{ ?\{[^{}]{0,2000}\} ?\}|([^\W_]+(?:['’.-][^\W_]+)*)")
    words = sum(1 for match in exact.finditer(plain) if match.group(1))
    expected = [] if words >= minimum else [(1, 1)]
    assert_findings("content-length", text, expected, options={"min_words": minimum})


def test_a_negative_minimum_is_a_config_error(tmp_path: Path) -> None:
    error = config_error(tmp_path, "  content-length:\n    options: {min_words: -5}\n")
    assert error.line == 3
    assert (
        error.message == "option 'min_words' of rule content-length: must be 0 (no minimum) or more"
    )


def test_the_blank_templates_labels_and_tables_are_words_enough() -> None:
    # The blank template is unfinished through its placeholders; its field labels and
    # table headers are real words, so the length check leaves it to the placeholders.
    assert_findings("content-length", blank_template(), [], path=blank_path())
    only_placeholders = "".join(
        line + "\n" for line in blank_template().splitlines() if line.startswith(("#", "{{", "---"))
    )
    (problem,) = run_rule("content-length", only_placeholders, path=blank_path())
    assert "fewer than the minimum of 150" in problem.message
