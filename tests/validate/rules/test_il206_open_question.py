from pathlib import Path

import pytest

from interlock.documents.reader import decode_text
from interlock.render.blank import BlankKind
from support.rule_checks import (
    BLANK_KINDS,
    SEED_NAMES,
    assert_findings,
    blank_path,
    blank_template,
    config_error,
    run_rule,
    seed_text,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("**Rate limits**: TBD with the vendor", 18),
        ("TODO: confirm the sandbox URL", 1),
        ("Retry policy (FIXME) below", 15),
        ("Timeout is ??? seconds", 12),
        ("The region is to be decided.", 15),
        ("To be determined with the vendor.", 1),
        ("| Timeout | TBD |", 13),
        ("## Rollback TBD", 13),
    ],
    ids=[
        "tbd",
        "todo",
        "fixme",
        "question-marks",
        "to-be-decided",
        "capitalised",
        "table",
        "heading",
    ],
)
def test_marker_in_the_text_is_reported_at_its_column(line: str, column: int) -> None:
    problems = assert_findings("open-question", f"# Spec\n\n{line}\n", [(3, column)])
    assert "open marker" in problems[0].message


@pytest.mark.parametrize(
    "line",
    [
        "The TODOS list and the stbd flag are names.",
        "A todo list is lower case, so is tbd.",
        "Use `TODO` markers in code reviews.",
        "Retries are decided by the client.",
        "See <!-- TODO: hidden note --> the runbook.",
    ],
    ids=["word-boundaries", "lower-case-acronyms", "inline-code", "other-phrase", "inline-comment"],
)
def test_text_without_a_marker_passes(line: str) -> None:
    assert_findings("open-question", f"# Spec\n\n{line}\n", [])


def test_markers_in_code_blocks_and_comments_pass() -> None:
    text = (
        "# Spec\n\n"
        "```python\n# TODO: not prose\nraise NotImplementedError  # FIXME\n```\n\n"
        "<!--\n  TODO: write this section\n  TBD\n-->\n\n"
        "Real text. TBD after the comment.\n"
    )
    assert_findings("open-question", text, [(13, 12)])


def test_front_matter_values_are_checked() -> None:
    text = "---\nowner: TBD\n---\n\n# Spec\n"
    assert_findings("open-question", text, [(2, 8)])


def test_each_marker_is_one_finding() -> None:
    assert_findings("open-question", "TBD and TODO and TBD\n", [(1, 1), (1, 9), (1, 18)])


def test_markers_option() -> None:
    text = "# Spec\n\nOwner: XXX, region TBD, Open Point here\n"
    assert_findings(
        "open-question", text, [(3, 8), (3, 25)], options={"markers": ["XXX", "open point"]}
    )


OPEN_QUESTIONS = """\
# Interview Summary

## 12. Open Integration Questions

- [ ] Which region hosts the vendor sandbox?
- [x] Do refunds need a second approval?
  - Raised by the support team
- Who owns the webhook signing secret?
1. Is the settlement file sent on public holidays?

Context paragraph without a list.

## 13. Integration Checklist

- [ ] Not a question
"""


def test_every_item_under_an_open_questions_section_is_reported() -> None:
    problems = assert_findings("open-question", OPEN_QUESTIONS, [(5, 1), (6, 1), (8, 1), (9, 1)])
    assert "Which region hosts the vendor sandbox?" in problems[0].message
    assert "Do refunds need a second approval?" in problems[1].message


@pytest.mark.parametrize(
    "title",
    ["## Open Questions", "## 12. Open Integration Questions", "### **Open questions**"],
    ids=["plain", "numbered", "emphasis"],
)
def test_open_question_section_titles(title: str) -> None:
    assert_findings("open-question", f"# Spec\n\n{title}\n\n- Which region?\n", [(5, 1)])


@pytest.mark.parametrize(
    "item",
    [
        "- None",
        "- None.",
        "- **None**",
        "- No open questions",
        "- [x] No open integration questions",
    ],
    ids=["none", "none-period", "none-bold", "no-open-questions", "checked-no-questions"],
)
def test_item_saying_there_are_none_passes(item: str) -> None:
    assert_findings("open-question", f"# Spec\n\n## Open Questions\n\n{item}\n", [])


def test_marker_on_an_open_question_item_is_reported_once() -> None:
    text = "# Spec\n\n## Open Questions\n\n- TBD: which region hosts the sandbox?\n"
    assert_findings("open-question", text, [(5, 1)])


def test_list_in_a_code_block_under_open_questions_passes() -> None:
    text = "# Spec\n\n## Open Questions\n\n```markdown\n- [ ] Example question\n```\n"
    assert_findings("open-question", text, [])


def test_crlf_text_gives_the_same_positions() -> None:
    data = b"# Spec\r\n\r\nRegion: TBD\r\n\r\n## Open Questions\r\n\r\n- Which region?\r\n"
    assert_findings("open-question", decode_text(data, path=Path("spec.md")), [(3, 9), (7, 1)])


def test_text_after_a_multibyte_character_keeps_its_column() -> None:
    # Lower-casing 'İ' makes the text longer, which must not shift any position.
    assert_findings("open-question", "İstanbul → to be decided\n", [(1, 12)])


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_ask_no_question_of_their_own(kind: BlankKind) -> None:
    # A blank template is unfinished through its placeholders, not through markers.
    assert_findings("open-question", blank_template(kind), [], path=blank_path(kind))


@pytest.mark.seeds
def test_interview_summary_output_format_has_two_open_questions(seeds: Path) -> None:
    text = seed_text(seeds, "001")
    # The seed shows the summary inside a fenced block; take it out as a generated
    # summary would be written.
    start = text.index("```markdown\n") + len("```markdown\n")
    summary = text[start : text.index("\n```\n\n## Important Reminders")] + "\n"
    problems = run_rule("open-question", summary)
    assert len(problems) == 2
    assert "Question needing infrastructure team input" in problems[0].message


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seeds_are_read_to_their_last_line(seeds: Path, name: str) -> None:
    text = seed_text(seeds, name)
    problems = run_rule("open-question", text)
    assert all(1 <= problem.line <= len(text.splitlines()) for problem in problems)


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_filled_in_documents_pass(name: str) -> None:
    assert_findings("open-question", (FIXTURES / name).read_text(encoding="utf-8"), [])


def test_hostile_backtick_runs_are_read_in_one_pass() -> None:
    # Unmatched runs of every length once made the inline-code search quadratic.
    ticks = "".join("`" * length + "x" for length in range(1, 400))
    assert_findings("open-question", f"{ticks} TBD\n", [(1, len(ticks) + 2)])


def test_a_blank_marker_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    error = config_error(
        tmp_path, "  open-question:\n    options:\n      markers:\n        - TBD\n        - ' '\n"
    )
    assert error.line == 6
    assert (
        error.message
        == "option 'markers' of rule open-question: an empty text would match everywhere"
    )
