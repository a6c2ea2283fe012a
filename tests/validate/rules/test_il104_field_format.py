from pathlib import Path
from typing import Any

import pytest

from interlock.documents.model import DocumentKind
from interlock.render.blank import BlankKind
from support.rule_checks import assert_findings, blank_template, seed_text

# One field per line: field n of this list is on line n + 2 of the document.
FIELDS = {
    "id": "spec-integration-payments-001",
    "title": "Payments Integration Specification",
    "type": "service_spec",
    "category": "architecture",
    "author": "Dana Ortiz",
    "version": "1.0.0",
    "status": "draft",
    "priority": "high",
    "createdAt": "2024-05-02",
    "updatedAt": "2024-05-09",
    "estimatedEffort": "80",
    "actualEffort": "0",
    "reviewers": "[lee-chan]",
    "approvers": "[]",
    "tags": "[integration, payments]",
    "parent": "spec-platform-001",
    "dependencies": "[spec-auth-002]",
    "related": "[]",
}


def spec(**raw: str) -> str:
    """Return a complete spec with the given fields written as raw YAML."""
    fields = {**FIELDS, **raw}
    body = "".join(f"{name}: {value}\n" for name, value in fields.items())
    return f"---\n{body}---\n\n# Payments\n"


def line_of(name: str) -> int:
    return list(FIELDS).index(name) + 2


def value_column(name: str) -> int:
    return len(name) + 3


def test_complete_valid_spec_passes() -> None:
    assert_findings("field-format", spec(), [])


FAILING = [
    ("id", "Spec_Payments", "id 'Spec_Payments' is not lowercase letters and digits"),
    ("id", "spec--payments", "id 'spec--payments' is not"),
    ("id", "-spec", "id '-spec' is not"),
    ("id", "42", "id 42 is not"),
    ("version", "'1.0'", "version '1.0' is not a semantic version MAJOR.MINOR.PATCH"),
    ("version", "1.0", "version 1.0 is not a semantic version"),
    ("version", "v1.0.0", "version 'v1.0.0' is not"),
    ("version", "01.0.0", "version '01.0.0' is not"),
    ("createdAt", "May 2, 2024", "createdAt 'May 2, 2024' is not an ISO 8601 date"),
    ("createdAt", "'2024-13-01'", "createdAt '2024-13-01' is not an ISO 8601 date"),
    ("updatedAt", "20240", "updatedAt 20240 is not an ISO 8601 date"),
    ("type", "service", "type 'service' is not one of functional_requirement, user_story,"),
    ("category", "infra", "category 'infra' is not one of requirements, architecture,"),
    (
        "status",
        "in-progress",
        "status 'in-progress' is not one of draft, review, approved, implemented, deprecated",
    ),
    ("priority", "3", "priority 3 is not one of low, medium, high, critical"),
    ("estimatedEffort", "-1", "estimatedEffort -1 is not a number of hours of 0 or more"),
    ("estimatedEffort", "two weeks", "estimatedEffort 'two weeks' is not a number"),
    ("actualEffort", "'8'", "actualEffort '8' is not a number"),
    ("actualEffort", "true", "actualEffort true is not a number"),
    ("actualEffort", ".inf", "actualEffort inf is not a number"),
    ("reviewers", "lee-chan", "reviewers 'lee-chan' is not a list"),
    ("tags", "{a: 1}", "tags {'a': 1} is not a list"),
    ("author", "42", "author 42 is not text"),
    ("parent", "[spec-a]", "parent ['spec-a'] is not text"),
    ("title", "Pa", "title 'Pa' is 2 characters long; a title has 3 to 100"),
    ("title", "P" * 101, "is 101 characters long"),
    ("title", "2024", "title 2024 is not text"),
]


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    FAILING,
    ids=[f"{name}-{raw[:20]}" for name, raw, _ in FAILING],
)
def test_bad_value_is_reported_at_its_value(name: str, raw: str, message: str) -> None:
    problems = assert_findings(
        "field-format", spec(**{name: raw}), [(line_of(name), value_column(name))]
    )
    assert message in problems[0].message, problems[0].message


PASSING = [
    ("id", "a"),
    ("id", "'spec-2024-payments-v2'"),
    ("version", "2.1.0-rc.1+build.5"),
    ("version", "'10.20.30'"),
    ("createdAt", "'2024-05-02'"),
    ("createdAt", "2024-05-02T14:30:00Z"),
    ("createdAt", "'2024-05-02T14:30:00+02:00'"),
    ("updatedAt", "2024-05-09 08:00:00"),
    ("type", "epic"),
    ("status", "deprecated"),
    ("estimatedEffort", "12.5"),
    ("estimatedEffort", "null"),
    ("actualEffort", ""),
    ("reviewers", "\n  - lee-chan\n  - dana-ortiz"),
    ("parent", "''"),
    ("title", "'  Pay  '"),
    ("title", "P" * 100),
]


@pytest.mark.parametrize(
    ("name", "raw"), PASSING, ids=[f"{name}-{raw.strip()[:20]}" for name, raw in PASSING]
)
def test_good_value_passes(name: str, raw: str) -> None:
    assert_findings("field-format", spec(**{name: raw}), [])


def test_wrong_case_of_an_allowed_value_gets_the_right_spelling_as_hint() -> None:
    problems = assert_findings("field-format", spec(status="Draft"), [(8, 9)])
    assert problems[0].hint == "write it as 'draft'"


def test_unknown_value_hint_names_the_option_to_extend() -> None:
    problems = assert_findings("field-format", spec(type="adr"), [(4, 7)])
    assert "types option" in problems[0].hint


def test_team_can_extend_an_enum_in_config() -> None:
    options: dict[str, Any] = {"types": ["service_spec", "adr"]}
    assert_findings("field-format", spec(type="adr"), [], options=options)
    assert_findings("field-format", spec(type="epic"), [(4, 7)], options=options)


def test_bad_id_hint_suggests_a_valid_id() -> None:
    problems = assert_findings("field-format", spec(id="Spec_Payments 2"), [(2, 5)])
    assert problems[0].hint == "for example 'spec-payments-2'"


def test_updated_before_created_is_reported_at_updated() -> None:
    text = spec(createdAt="2024-05-02", updatedAt="'2024-05-01T23:00:00Z'")
    problems = assert_findings("field-format", text, [(11, 12)])
    assert problems[0].message == (
        "updatedAt 2024-05-01T23:00:00+00:00 is before createdAt 2024-05-02"
    )


@pytest.mark.parametrize(
    ("created", "updated"),
    [
        ("2024-05-02", "2024-05-02"),
        ("2024-05-02T18:00:00", "2024-05-02"),
        ("2024-05-02T10:00:00Z", "2024-05-02T09:00:00"),
        ("2024-05-02T10:00:00+02:00", "2024-05-02T09:00:00Z"),
    ],
    ids=["same-day", "date-after-time-same-day", "aware-and-naive", "time-zones"],
)
def test_updated_on_or_after_created_passes(created: str, updated: str) -> None:
    assert_findings("field-format", spec(createdAt=created, updatedAt=updated), [])


def test_list_entries_are_reported_at_their_own_line_and_column() -> None:
    text = spec(reviewers="[lee-chan, 42, 42]", tags="\n  - integration\n  - 7\n  - ''")
    problems = assert_findings("field-format", text, [(14, 23), (14, 27), (18, 5), (19, 3)])
    assert [p.message for p in problems] == [
        "reviewers entry 42 is not text",
        "reviewers entry 42 is not text",
        "tags entry 7 is not text",
        "tags entry 3 is empty",
    ]


def test_list_entry_equal_to_its_key_is_not_confused_with_the_key() -> None:
    assert_findings("field-format", spec(tags="[tags, 5]"), [(16, 14)])


def test_empty_values_are_left_to_required_field() -> None:
    text = spec(id="''", title="", status="null", createdAt="' '", reviewers="[]")
    assert_findings("field-format", text, [])


def test_placeholder_values_are_left_to_the_placeholder_rule() -> None:
    text = spec(
        id="'spec-integration-{{integration-name}}'",
        priority="'{{priority-level}}'",
        createdAt="'{{YYYY-MM-DD}}'",
        estimatedEffort="'{{hours}}'",
        tags="['integration', '{{integration-type}}', 5]",
    )
    assert_findings("field-format", text, [(16, 47)])


def test_the_blank_templates_front_matter_has_no_format_findings() -> None:
    assert_findings("field-format", blank_template(BlankKind.INTEGRATION_SPEC), [])


@pytest.mark.seeds
def test_seed_template_with_quoted_braces_gets_no_format_findings(seeds: Path) -> None:
    text = seed_text(seeds, "004").replace("{ { hours } }", "'{{hours}}'")
    assert_findings("field-format", text, [])


def test_unknown_fields_and_other_kinds_are_not_checked() -> None:
    assert_findings("field-format", spec(owner="[1, 2]"), [])
    text = spec(status="in-progress")
    assert_findings("field-format", text, [], kind=DocumentKind.MARKDOWN)


def test_no_front_matter_or_broken_front_matter_is_left_to_other_rules() -> None:
    assert_findings("field-format", "# Payments\n", [])
    assert_findings("field-format", "---\nstatus: wip\nstatus: wip\n---\n", [])
