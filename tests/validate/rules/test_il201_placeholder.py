import ast
from pathlib import Path

import pytest

from interlock.documents.reader import decode_text
from interlock.render.blank import BlankKind
from support.rule_checks import (
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
    ("text", "expected", "token"),
    [
        ("# Spec\n\nOwner: {{author-name}}\n", [(3, 8)], "{{author-name}}"),
        ("# Integration Points - [Feature Name]\n", [(1, 24)], "[Feature Name]"),
        ("**Author**: [Name]\n", [(1, 13)], "[Name]"),
        ("**Created**: YYYY-MM-DD\n", [(1, 14)], "YYYY-MM-DD"),
        ("**SEV Level**: SEV-X\n", [(1, 16)], "SEV-X"),
        (
            "**Review Status**: [DRAFT | UNDER_REVIEW | APPROVED]\n",
            [(1, 20)],
            "[DRAFT | UNDER_REVIEW | APPROVED]",
        ),
        ("- **Authentication**: [API Key / OAuth2 / JWT]\n", [(1, 23)], "[API Key / OAuth2 / JWT]"),
        ("- **Rate limits**: [100 requests/second]\n", [(1, 20)], "[100 requests/second]"),
        ("See [Link to service documentation].\n", [(1, 5)], "[Link to service documentation]"),
        ("| {{source-field}} | x |\n| --- | --- |\n| a | b |\n", [(1, 3)], "{{source-field}}"),
    ],
    ids=[
        "mustache",
        "bracketed-heading",
        "bracketed-name",
        "date-format",
        "severity",
        "alternatives",
        "slash-alternatives",
        "bracketed-example",
        "bracketed-link-text",
        "table-header",
    ],
)
def test_template_token_is_reported_at_its_column(
    text: str, expected: list[tuple[int, int]], token: str
) -> None:
    problems = assert_findings("placeholder", text, expected)
    assert repr(token) in problems[0].message


def test_front_matter_lines_are_checked() -> None:
    text = (
        "---\n"
        "id: 'spec-integration-{{integration-name}}-{{sequence-number}}'\n"
        "author: '{{author-name}}'\n"
        "estimatedEffort: { { hours } }\n"
        "createdAt: YYYY-MM-DD\n"
        "---\n\n# Spec\n"
    )
    assert_findings("placeholder", text, [(2, 23), (2, 44), (3, 10), (4, 18), (5, 12)])


def test_yaml_lists_in_front_matter_are_not_tokens_but_their_mustaches_are() -> None:
    text = (
        "---\n"
        "tags: [integration, payments]\n"
        "reviewers: []\n"
        "related: ['spec-ledger-001', '{{related-spec-id}}']\n"
        "---\n\n# Spec\n"
    )
    assert_findings("placeholder", text, [(4, 31)])


def test_each_token_on_a_line_is_one_finding() -> None:
    text = "**Technical Architect**: [Name] - [Date] - [Approved/Rejected]\n"
    assert_findings("placeholder", text, [(1, 26), (1, 35), (1, 44)])


@pytest.mark.parametrize(
    "text",
    [
        "See [the runbook](https://wiki.example.com/payments).\n",
        "See [the runbook][runbook].\n\n[runbook]: https://wiki.example.com/payments\n",
        "See [Payments Runbook].\n\n[payments runbook]: https://wiki.example.com/payments\n",
        "- [ ] Contracts reviewed\n- [x] Goals agreed\n- [X] Risks listed\n",
        "Limits apply.[^1]\n\n[^1]: Per merchant account.\n",
        "> [!NOTE]\n> The sandbox resets nightly.\n",
        "Retries back off as [1, 2, 4] seconds.\n",
        "Use `tags: [integration, payments]` in the front matter.\n",
        "Dates are written as `YYYY-MM-DD`.\n",
        '```json\n{"items": ["a", "b"], "range": [1, 2]}\n```\n',
        "```python\nfields = [name for name in schema]\n```\n",
        "**SEV Level**: SEV-2\n**Created**: 2024-05-02\n",
        "The literal \\[Name\\] is shown as is.\n",
        "![Architecture diagram](diagram.png)\n",
    ],
    ids=[
        "inline-link",
        "reference-link",
        "shortcut-reference",
        "task-boxes",
        "footnote",
        "alert",
        "numbers-only",
        "inline-code-list",
        "inline-code-date",
        "json-in-code-block",
        "list-in-code-block",
        "real-values",
        "escaped-brackets",
        "image",
    ],
)
def test_real_markdown_and_values_pass(text: str) -> None:
    assert_findings("placeholder", "# Spec\n\n" + text, [])


def test_only_mustache_tokens_count_inside_code() -> None:
    text = (
        "# Spec\n\n"
        "```json\n"
        '{"{{field-name}}": "[Name]", "date": "YYYY-MM-DD", "ids": ["{{id}}"]}\n'
        "```\n\n"
        "Call `GET /orders/{{order-id}}` first.\n"
    )
    assert_findings("placeholder", text, [(4, 3), (4, 61), (7, 19)])


def test_mustache_inside_link_text_counts() -> None:
    assert_findings("placeholder", "See [{{service}} docs](https://example.com).\n", [(1, 6)])


def test_hostile_text_is_reported_verbatim_and_never_evaluated() -> None:
    text = "# Spec\n\nTotal: {{ 7*7 }} and [x](javascript:alert(1)) and {{ ''.__class__ }}\n"
    problems = assert_findings("placeholder", text, [(3, 8), (3, 51)])
    assert "{{ 7*7 }}" in problems[0].message
    assert "49" not in problems[0].message


def test_crlf_text_gives_the_same_positions() -> None:
    data = b"---\r\nauthor: '{{author-name}}'\r\n---\r\n\r\n# Spec\r\n\r\nOwner: [Name]\r\n"
    text = decode_text(data, path=Path("spec.md"))
    assert_findings("placeholder", text, [(2, 10), (7, 8)])


def test_long_token_is_shortened_in_the_message() -> None:
    token = "{{" + "Describe the data flow between the systems " * 5 + "}}"
    (problem,) = run_rule("placeholder", f"# Spec\n\n{token}\n")
    assert len(problem.message) < 100
    assert problem.message.endswith("…'")


def test_extra_patterns_add_to_the_defaults() -> None:
    text = "# Spec\n\nOwner: <fill in> and [Name]\n"
    assert_findings(
        "placeholder", text, [(3, 8), (3, 22)], options={"extra_patterns": ["<fill in>"]}
    )


def test_patterns_replace_the_defaults() -> None:
    text = "# Spec\n\nOwner: <fill in> and [Name] and {{x}}\n"
    assert_findings("placeholder", text, [(3, 8)], options={"patterns": ["<fill in>"]})


def test_overlapping_patterns_give_one_finding() -> None:
    text = "# Spec\n\nOwner: {{author-name}}\n"
    assert_findings("placeholder", text, [(3, 8)], options={"extra_patterns": [r"author-\w+"]})


def test_a_pattern_that_does_not_compile_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    error = config_error(
        tmp_path,
        "  placeholder:\n    options:\n      extra_patterns:\n        - '<fill in>'\n        - '[unclosed'\n",
    )
    assert error.line == 6
    assert error.message.startswith(
        "option 'extra_patterns' of rule placeholder: '[unclosed' is not a regular expression"
    )


def test_a_pattern_that_matches_empty_text_is_a_config_error(tmp_path: Path) -> None:
    error = config_error(tmp_path, "  placeholder:\n    options: {patterns: ['TODO', 'x*']}\n")
    assert error.line == 3
    assert "'x*' matches empty text" in error.message


@pytest.mark.parametrize(
    ("kind", "at_least"),
    [(BlankKind.INTEGRATION_SPEC, 150), (BlankKind.INTEGRATION_POINTS, 100)],
    ids=str,
)
def test_the_blank_templates_are_full_of_placeholders(kind: BlankKind, at_least: int) -> None:
    text = blank_template(kind)
    lines = text.splitlines()
    problems = run_rule("placeholder", text, path=blank_path(kind))
    assert len(problems) >= at_least
    for problem in problems:
        # Each finding points at the token it quotes: ``{{…}}``, ``[…]`` or SEV-X.
        token = ast.literal_eval(problem.message.removeprefix("unfilled placeholder ")).rstrip("…")
        assert lines[problem.line - 1][problem.column - 1 :].startswith(token), problem
    # What `interlock new` fills in is not a placeholder: id, title, author, dates.
    assert not [problem for problem in problems if "payments" in problem.message.casefold()]


@pytest.mark.seeds
def test_raw_integration_spec_template_is_full_of_placeholders(seeds: Path) -> None:
    problems = run_rule("placeholder", seed_text(seeds, "004"))
    found = {(problem.line, problem.column) for problem in problems}
    assert len(problems) > 150
    # author in the front matter, effort in its YAML-formatted form, the title, the
    # first prose placeholder, and a cell of the mapping table.
    assert {(7, 10), (13, 18), (25, 3), (38, 1), (139, 3)} <= found


@pytest.mark.seeds
def test_raw_integration_points_template_is_full_of_placeholders(seeds: Path) -> None:
    problems = run_rule("placeholder", seed_text(seeds, "002"))
    found = {(problem.line, problem.column) for problem in problems}
    assert len(problems) > 60
    # title, created date, author, SEV level, review status, the external system name
    assert {(1, 24), (3, 14), (5, 13), (6, 16), (7, 20), (32, 20)} <= found
    # the diagram's [This System] boxes are inside a code block
    assert not any(problem.line in range(15, 22) for problem in problems)


@pytest.mark.seeds
@pytest.mark.parametrize("name", [name for name in SEED_NAMES if name not in ("002", "004")])
def test_other_seeds_are_read_to_their_last_line(seeds: Path, name: str) -> None:
    text = seed_text(seeds, name)
    problems = run_rule("placeholder", text)
    assert all(1 <= problem.line <= len(text.splitlines()) for problem in problems)


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_filled_in_documents_pass(name: str) -> None:
    assert_findings("placeholder", (FIXTURES / name).read_text(encoding="utf-8"), [])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Run ``echo ` [Name]`` first", []),
        ("An unclosed `tick before [Name]", [(3, 26)]),
        ("`code` then [Name] then `more`", [(3, 13)]),
    ],
    ids=["double-backtick-span", "unclosed-backtick", "between-spans"],
)
def test_inline_code_spans_follow_backtick_run_lengths(
    line: str, expected: list[tuple[int, int]]
) -> None:
    assert_findings("placeholder", f"# Spec\n\n{line}\n", expected)


def test_hostile_long_lines_are_read_in_one_pass() -> None:
    # Both lines took seconds with backtracking patterns; each must stay linear.
    unclosed = "[" + "a" * 100_000
    ticks = "".join("`" * length + "x" for length in range(1, 400)) + " [Name]"
    assert_findings("placeholder", f"{unclosed}\n{ticks}\n", [(2, len(ticks) - 5)])
