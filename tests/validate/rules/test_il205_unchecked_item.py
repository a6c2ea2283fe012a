from pathlib import Path

import pytest

from interlock.documents.reader import decode_text
from support.rule_checks import assert_findings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"

CHECKLISTS = """\
# Spec

## Review and Approval

### Review Checklist

- [ ] Integration goals are clearly defined and measurable
- [x] Security requirements are specified
  - [ ] Secrets rotation reviewed

## 13. Integration Checklist

1. [ ] Database migrations tested
* [X] Feature flags configured
"""


def test_each_open_item_is_reported_at_its_box() -> None:
    problems = assert_findings("unchecked-item", CHECKLISTS, [(7, 3), (9, 5), (13, 4)])
    assert "Integration goals are clearly defined and measurable" in problems[0].message
    assert "Secrets rotation reviewed" in problems[1].message


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        (["Review Checklist"], [(7, 3), (9, 5)]),
        (["review and approval"], [(7, 3), (9, 5)]),
        (["Integration Checklist"], [(13, 4)]),
        (["**Integration Checklist**"], [(13, 4)]),
        (["Next Steps"], []),
    ],
    ids=["exact", "parent-any-case", "numbered-heading", "emphasis-in-option", "absent"],
)
def test_sections_option_restricts_the_rule(
    sections: list[str], expected: list[tuple[int, int]]
) -> None:
    assert_findings("unchecked-item", CHECKLISTS, expected, options={"sections": sections})


def test_open_item_with_nested_items_is_reported() -> None:
    text = "# Spec\n\n- [ ] Security reviewed\n  - [ ] Secrets rotation reviewed\n"
    assert_findings("unchecked-item", text, [(3, 3), (4, 5)])


def test_task_boxes_in_code_blocks_are_not_items() -> None:
    text = "# Spec\n\n```markdown\n- [ ] Example item\n```\n"
    assert_findings("unchecked-item", text, [])


def test_checked_items_pass() -> None:
    assert_findings("unchecked-item", "# Spec\n\n- [x] Done\n- [X] Also done\n", [])


def test_crlf_text_gives_the_same_positions() -> None:
    text = decode_text(b"# Spec\r\n\r\n- [ ] Open\r\n", path=Path("spec.md"))
    assert_findings("unchecked-item", text, [(3, 3)])


def test_filled_in_spec_reports_its_open_review_checklist() -> None:
    text = (FIXTURES / "filled-integration-spec.md").read_text(encoding="utf-8")
    boxes = [
        (number, 3)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.startswith("- [ ] ")
    ]
    problems = assert_findings("unchecked-item", text, boxes)
    assert len(problems) == 8
    assert "Integration goals are clearly defined" in problems[0].message
