from pathlib import Path

import pytest

from interlock.documents.model import DocumentKind
from interlock.documents.reader import decode_text
from interlock.render.blank import BlankKind
from interlock.validate.registry import find_rule
from support.rule_checks import (
    BLANK_KINDS,
    assert_findings,
    blank_path,
    blank_template,
    config_error,
    run_rule,
    seed_text,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"

RULE = find_rule("required-section")
assert RULE is not None
REQUIRED: dict[str, list[str]] = RULE.options["sections"]


def _document(title: str, sections: list[str], *, heading: str = "##") -> str:
    body = "".join(f"{heading} {section}\n\nWritten.\n\n" for section in sections)
    return f"# {title}\n\n{body}"


def test_integration_spec_missing_sections_are_reported_at_the_title() -> None:
    sections = [s for s in REQUIRED["integration-spec"] if s not in {"Risks and Mitigation"}]
    text = "---\nid: spec-payments-001\ntype: service_spec\n---\n\n" + _document(
        "Payments Integration Specification", sections[:-1]
    )
    problems = assert_findings("required-section", text, [(6, 1), (6, 1)])
    assert "'Risks and Mitigation'" in problems[0].message
    assert "'Change History'" in problems[1].message
    assert problems[0].hint == "add a '## Risks and Mitigation' section"


def test_without_a_top_heading_findings_go_to_the_body_line() -> None:
    text = (
        "---\nid: spec-payments-001\ntype: service_spec\n---\n\n"
        "## Integration Contracts\n\n`POST /v1/charges`\n"
    )
    problems = run_rule("required-section", text)
    assert len(problems) == len(REQUIRED["integration-spec"]) - 1
    assert {(problem.line, problem.column) for problem in problems} == {(5, 1)}


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("integration-points", "Integration Points - Checkout Payments"),
        ("interview-summary", "Integration & Deployment Interview Summary"),
    ],
)
def test_complete_documents_pass(kind: str, title: str) -> None:
    assert_findings("required-section", _document(title, REQUIRED[kind]), [])


def test_an_empty_required_section_is_reported_at_its_heading_as_good_as_missing() -> None:
    sections = REQUIRED["integration-points"]
    text = _document("Integration Points - Checkout Payments", sections).replace(
        "## Next Steps\n\nWritten.\n", "## Next Steps\n\n<!-- to do -->\n"
    )
    line = text.splitlines().index("## Next Steps") + 1
    (problem,) = assert_findings("required-section", text, [(line, 1)])
    assert problem.message == "required section 'Next Steps' is empty"
    assert "does not apply" in problem.hint


def test_a_required_section_with_content_only_in_a_subsection_is_not_empty() -> None:
    sections = REQUIRED["integration-points"]
    text = _document("Integration Points - X", sections).replace(
        "## Overview\n\nWritten.\n", "## Overview\n\n### Scope\n\nOrders and refunds.\n"
    )
    assert_findings("required-section", text, [])


def test_headings_only_make_every_required_section_a_finding() -> None:
    sections = REQUIRED["interview-summary"]
    text = "# Interview Summary\n\n" + "".join(
        f"## {n}. {s}\n\n" for n, s in enumerate(sections, 1)
    )
    problems = run_rule("required-section", text, kind=DocumentKind.INTERVIEW_SUMMARY)
    assert len(problems) == len(sections)
    assert all(problem.message.endswith("is empty") for problem in problems)


def test_a_sections_key_that_names_no_kind_is_a_config_error(tmp_path: Path) -> None:
    error = config_error(
        tmp_path,
        "  required-section:\n    options:\n      sections:\n"
        "        integration-spec: [Overview and Context]\n        integration_points: [Overview]\n",
    )
    assert error.line == 6
    assert "'integration_points' is neither a document kind" in error.message
    assert "integration-points" in error.hint


def test_workflow_note_keys_are_lower_case_file_names(tmp_path: Path) -> None:
    error = config_error(
        tmp_path, "  required-section:\n    options:\n      sections: {Plan.md: [Goals]}\n"
    )
    assert error.line == 4
    assert "'Plan.md'" in error.message


def test_integration_points_requires_next_steps() -> None:
    text = _document("Integration Points - Checkout Payments", REQUIRED["integration-points"][:-1])
    (problem,) = assert_findings("required-section", text, [(1, 1)])
    assert "'Next Steps'" in problem.message
    assert "integration-points" in problem.message


def test_titles_are_compared_without_numbers_case_emphasis_or_ampersands() -> None:
    numbered = [
        f"{number}. {title.upper() if number % 2 else title}"
        for number, title in enumerate(REQUIRED["interview-summary"], start=1)
    ]
    numbered[4] = "5. **Backward Compatibility**"
    numbered[0] = "1. External   Dependencies:"
    text = _document("Integration & Deployment Interview Summary", numbered)
    assert_findings("required-section", text, [])
    ampersand = _document("Payments", ["Risks & Mitigation"])
    problems = run_rule("required-section", ampersand, kind=DocumentKind.INTEGRATION_SPEC)
    assert not any("Risks and Mitigation" in problem.message for problem in problems)


def test_heading_of_any_level_counts() -> None:
    sections = REQUIRED["integration-points"]
    assert_findings(
        "required-section", _document("Integration Points - X", sections, heading="###"), []
    )


def test_sections_only_inside_a_code_block_are_missing() -> None:
    fenced = (
        "```markdown\n" + "".join(f"## {s}\n" for s in REQUIRED["integration-points"]) + "```\n"
    )
    text = f"# Integration Points - Checkout Payments\n\n{fenced}"
    problems = run_rule("required-section", text)
    assert len(problems) == len(REQUIRED["integration-points"])


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "research.md",
            "# Research\n\n## External System\n\nStripe.\n\n## Constraints\n\nNone.\n",
            ["Key Endpoints"],
        ),
        (
            "research.md",
            "# Research\n\n## External System\n\nStripe.\n\n## Key Endpoints / Features\n\n"
            "`POST /v1/charges`\n\n## Constraints\n\nNone.\n",
            [],
        ),
        ("plan.md", "# Plan\n\n## Approach\n", ["Success Criteria"]),
        ("plan.md", "## Success Criteria\n\n- [ ] Can authenticate\n", []),
        ("outcome.md", "## Integration: Northwind Payments\n\n**Purpose:** payments\n", []),
        ("outcome.md", "**Purpose:** payments only\n", ["no heading"]),
    ],
    ids=[
        "research-missing",
        "research-slash-spacing",
        "plan-missing",
        "plan-complete",
        "outcome-heading",
        "outcome-no-heading",
    ],
)
def test_workflow_notes_are_checked_by_file_name(name: str, text: str, expected: list[str]) -> None:
    problems = run_rule("required-section", text, path=f"specs/payments/{name}")
    assert [problem.column for problem in problems] == [1] * len(expected)
    for problem, fragment in zip(problems, expected, strict=True):
        assert fragment in problem.message
        assert name in problem.message


@pytest.mark.parametrize(
    "kind", [DocumentKind.SPECKIT, DocumentKind.MARKDOWN], ids=["speckit", "markdown"]
)
def test_kinds_without_requirements_pass(kind: DocumentKind) -> None:
    assert_findings("required-section", "Just text.\n", [], kind=kind)


def test_sections_option_overrides_the_lists() -> None:
    text = "# Payments\n\n## Overview and Context\n\nText.\n"
    options = {"sections": {"integration-spec": ["Overview and Context", "Rollback Plan"]}}
    (problem,) = assert_findings(
        "required-section", text, [(1, 1)], options=options, kind=DocumentKind.INTEGRATION_SPEC
    )
    assert "'Rollback Plan'" in problem.message


def test_crlf_text_is_read_like_lf() -> None:
    lf = _document("Integration Points - X", REQUIRED["integration-points"][:-1])
    crlf = decode_text(lf.replace("\n", "\r\n").encode(), path=Path("points.md"))
    assert_findings("required-section", crlf, [(1, 1)])


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_have_every_section_with_something_in_it(kind: BlankKind) -> None:
    # Placeholders are something to fill in: the placeholder rule reports them.
    assert_findings("required-section", blank_template(kind), [], path=blank_path(kind))


@pytest.mark.seeds
@pytest.mark.parametrize(("name", "kind"), [("004", "spec.md"), ("002", "points.md")])
def test_raw_templates_have_every_section(seeds: Path, name: str, kind: str) -> None:
    assert_findings("required-section", seed_text(seeds, name), [], path=kind)


@pytest.mark.seeds
def test_interview_summary_output_format_has_its_fourteen_sections(seeds: Path) -> None:
    text = seed_text(seeds, "001")
    start = text.index("```markdown\n") + len("```markdown\n")
    summary = text[start : text.index("\n```\n\n## Important Reminders")] + "\n"
    assert_findings("required-section", summary, [])
    # The seed file itself shows the first sections only inside a fenced block.
    problems = run_rule("required-section", text, kind=DocumentKind.INTERVIEW_SUMMARY)
    assert "'External Dependencies'" in problems[0].message


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_filled_in_documents_pass(name: str) -> None:
    assert_findings("required-section", (FIXTURES / name).read_text(encoding="utf-8"), [])


@pytest.mark.parametrize(
    "next_heading",
    [
        '## <span id="approach">Approach</span>',
        '## Approach <a name="approach"></a>',
        "## <em>Approach</em>",
        '<span id="approach">Approach</span>\n---',
        "<h2>Approach</h2>",
    ],
    ids=["span", "anchor", "em-tag", "setext", "html-block"],
)
def test_a_heading_with_html_after_an_empty_required_section_leaves_it_empty(
    next_heading: str,
) -> None:
    text = f"# Plan\n\n## Success Criteria\n\n{next_heading}\n\nWrap the API.\n"
    (problem,) = assert_findings("required-section", text, [(3, 1)], path="specs/x/plan.md")
    assert problem.message == "required section 'Success Criteria' is empty"


@pytest.mark.parametrize(
    "heading",
    [
        '## <span id="criteria">Success Criteria</span>',
        '## Success Criteria <a name="criteria"></a>',
        '<h2 id="criteria">Success <em>Criteria</em></h2>',
    ],
    ids=["span", "anchor", "html-block"],
)
def test_a_required_heading_written_with_html_is_found(heading: str) -> None:
    text = f"# Plan\n\n{heading}\n\n- [ ] Can authenticate\n"
    assert_findings("required-section", text, [], path="specs/x/plan.md")


@pytest.mark.parametrize(
    "body",
    ['<a name="criteria"></a>', "<div>\n<!-- to do -->\n</div>", "<br>", "&#8203;"],
    ids=["anchor", "comment-in-div", "br", "zero-width-space"],
)
def test_a_required_section_of_html_that_shows_nothing_is_empty(body: str) -> None:
    text = f"# Plan\n\n## Success Criteria\n\n{body}\n"
    (problem,) = assert_findings("required-section", text, [(3, 1)], path="specs/x/plan.md")
    assert problem.message.endswith("is empty")
