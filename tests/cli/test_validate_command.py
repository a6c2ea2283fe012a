"""`interlock validate` as a user runs it: exit codes, reports, review gates, bad config."""

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from interlock.validate.score import PASSING_SCORE
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli as invoke

EMPTY_SECTIONS = "# Title\n\nIntro.\n\n## Empty\n\n## Also empty\n"


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    (outside_workspace / ".interlock").mkdir()
    (outside_workspace / "specs").mkdir()
    return outside_workspace


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_warnings_pass_by_default_and_fail_with_fail_on_warning(workspace: Path) -> None:
    write(workspace, ".interlock/config.yaml", "types:\n  'specs/**': markdown\n")
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate", "--no-color")
    assert result.exit_code == 0, result.output
    assert "specs/a.md:5:1" in result.output
    assert "empty-section" in result.output
    assert invoke("validate", "--fail-on", "warning").exit_code == 1


def test_min_score_gate(workspace: Path) -> None:
    write(workspace, ".interlock/config.yaml", "types:\n  'specs/**': markdown\n")
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    assert invoke("validate", "--min-score", "50").exit_code == 0
    assert invoke("validate", "--min-score", "99.5").exit_code == 1


def test_json_report_to_a_file(workspace: Path) -> None:
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    out = workspace / "report.json"
    result = invoke("validate", "--format", "json", "--output", str(out))
    assert result.output == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"findings", "files", "summary"} <= set(report)
    rules = {finding["rule"] for finding in report["findings"]}
    assert "front-matter-missing" in rules
    assert result.exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_every_format_renders(workspace: Path, fmt: str) -> None:
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate", "--format", fmt)
    assert result.exit_code == 1
    assert "specs/a.md" in result.output


def test_missing_path_exits_2_naming_it(workspace: Path) -> None:
    result = invoke("validate", "specs/nope.md")
    assert result.exit_code == 2
    assert "specs/nope.md: no such file or directory" in result.output


def test_no_specs_folder_exits_2_with_a_hint(outside_workspace: Path) -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "interlock init" in result.output


def test_bad_config_exits_2_with_file_and_line(workspace: Path) -> None:
    write(workspace, ".interlock/config.yaml", "preset: review\nrules:\n  no-such-rule: error\n")
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate")
    assert result.exit_code == 2
    assert ".interlock/config.yaml:3: error: unknown rule 'no-such-rule'" in result.output
    assert "hint:" in result.output


def test_unwritable_output_exits_2(workspace: Path) -> None:
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate", "--output", "missing/dir/report.txt")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(workspace: Path) -> None:
    # As /dev/null or /dev/stdout would be: renaming a file over it would replace it.
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    pipe = workspace / "report.pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = invoke("validate", "--format", "json", "--output", str(pipe))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert result.exit_code == 1
    assert json.loads(received[0])["summary"]


@pytest.mark.parametrize("target", ["", "specs"], ids=["empty", "folder"])
def test_output_naming_no_file_exits_2(workspace: Path, target: str) -> None:
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate", "--output", target)
    assert result.exit_code == 2
    assert "--output names a file, not a folder" in result.output
    assert (workspace / "specs").is_dir()


def test_rules_lists_and_explains(workspace: Path) -> None:
    listing = invoke("rules")
    assert listing.exit_code == 0
    assert "IL203" in listing.output and "empty-section" in listing.output
    explained = invoke("rules", "IL203")
    assert explained.exit_code == 0
    assert "Fails" in explained.output
    unknown = invoke("rules", "nonsense")
    assert unknown.exit_code == 2
    assert "no rule named 'nonsense'" in unknown.output


def test_init_then_validate_an_empty_workspace(outside_workspace: Path) -> None:
    created = invoke("init")
    assert created.exit_code == 0
    assert "created .interlock/config.yaml" in created.output
    assert invoke("validate").exit_code == 0


def test_version_and_help() -> None:
    assert invoke("--version").output.startswith("interlock ")
    assert "validate" in invoke("--help").output


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FRONT_MATTER = """\
---
id: spec-integration-payments-001
title: Payments Integration Specification
type: {type}
category: {category}
author: Dana Ortiz
version: 1.0.0
status: draft
priority: high
createdAt: 2024-05-02
updatedAt: 2024-05-02
---
"""
INTEGRATION_SPEC = FRONT_MATTER.format(type="service_spec", category="architecture")
SPECKIT = FRONT_MATTER.format(type="functional_requirement", category="requirements")
SECTIONS = [
    "Overview and Context",
    "Integration Goals and Success Criteria",
    "Third-Party System Information",
    "Integration Architecture",
    "Data Mapping and Transformation",
    "Integration Contracts",
    "Error Handling and Recovery",
    "Monitoring and Logging",
    "Security Considerations",
    "Testing Strategy",
    "Deployment and Operations",
    "Risks and Mitigation",
    "Implementation Notes",
    "Review and Approval",
    "Change History",
]
PROSE = (
    "The order service charges the customer's card through the payment provider when an "
    "order is confirmed, and records the charge against the order so that finance can "
    "reconcile it the next morning. "
)


def _five_of_fifteen_empty() -> str:
    body = "".join(
        f"## {title}\n\n" + ("" if number % 3 == 0 else PROSE * 2 + "\n\n")
        for number, title in enumerate(SECTIONS)
    )
    return f"{INTEGRATION_SPEC}\n# Payments Integration Specification\n\n{body}"


SAYS_NOTHING = {
    "headings-only": INTEGRATION_SPEC
    + "\n# Payments Integration Specification\n\n"
    + "".join(f"## {title}\n\n" for title in SECTIONS),
    "front-matter-and-empty-body": SPECKIT,
    "five-of-fifteen-sections-empty": _five_of_fifteen_empty(),
}


def _json(result_output: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(result_output)
    return report


@pytest.mark.parametrize("case", SAYS_NOTHING, ids=str)
def test_a_spec_that_says_nothing_fails_review(workspace: Path, case: str) -> None:
    write(workspace, "specs/payments/spec.md", SAYS_NOTHING[case])
    result = invoke("validate", "specs", "--preset", "review", "--no-color")
    assert result.exit_code == 1, result.output
    assert "failed:" in result.output.splitlines()[-1]
    for preset in ("review", "production"):
        report = _json(invoke("validate", "specs", "--preset", preset, "--format", "json").output)
        errors = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
        assert errors & {"required-section", "content-length"}, (preset, errors)
        assert report["files"][0]["score"] < PASSING_SCORE


@pytest.mark.parametrize("case", SAYS_NOTHING, ids=str)
def test_a_draft_that_says_nothing_passes_with_warnings(workspace: Path, case: str) -> None:
    write(workspace, "specs/payments/spec.md", SAYS_NOTHING[case])
    result = invoke("validate", "specs", "--preset", "draft", "--no-color")
    assert result.exit_code == 0, result.output
    assert " 0 errors, " in result.output.splitlines()[-1]
    report = _json(invoke("validate", "specs", "--preset", "draft", "--format", "json").output)
    warned = {f["rule"] for f in report["findings"] if f["severity"] == "warning"}
    assert warned & {"required-section", "content-length"}


def test_an_empty_required_section_is_reported_at_its_heading(workspace: Path) -> None:
    write(workspace, "specs/payments/spec.md", _five_of_fifteen_empty())
    result = invoke("validate", "specs", "--preset", "review", "--no-color")
    lines = _five_of_fifteen_empty().splitlines()
    line = lines.index("## Integration Architecture") + 1
    assert (
        f"specs/payments/spec.md:{line}:1 error required-section "
        "required section 'Integration Architecture' is empty"
    ) in result.output


def test_the_blank_template_scores_under_thirty(workspace: Path) -> None:
    assert invoke("new", "payments", "--blank", "--author", "Dana Ortiz").exit_code == 0
    result = invoke("validate", "specs/payments", "--format", "json")
    assert result.exit_code == 1
    (document,) = _json(result.output)["files"]
    assert document["path"] == "specs/payments/integration-spec.md"
    assert document["score"] < 30


def test_the_demo_documents_pass_review_and_score_at_least_95(workspace: Path) -> None:
    # The steps of `make demo` (examples/demo.py), in a workspace of the test's own.
    answers = str(EXAMPLES / "order-service" / "answers.yaml")
    openapi = str(EXAMPLES / "order-service" / "payments-openapi.yaml")
    steps = [
        (
            "interview",
            "order-service",
            "--depth",
            "full",
            "--answers",
            answers,
            "--by",
            "Demo",
            "--no-input",
        ),
        ("research", "order-service", "--openapi", openapi, "--system-name", "Stripe"),
        ("render", "order-service", "--author", "Demo Author"),
        ("outcome", "order-service"),
    ]
    for step in steps:
        done = invoke(*step)
        assert done.exit_code == 0, (step, done.output)
    result = invoke("validate", "specs/order-service", "--preset", "review", "--format", "json")
    assert result.exit_code == 0, result.output
    report = _json(result.output)
    answers = [file for file in report["files"] if file["kind"] == "answers"]
    assert [Path(file["path"]).name for file in answers] == ["interview.yaml"]
    assert not [item for item in report["findings"] if item["path"] == answers[0]["path"]]
    scores = {
        Path(document["path"]).name: document["score"]
        for document in report["files"]
        if document["kind"] != "answers"
    }
    assert set(scores) == {
        "integration-spec.md",
        "integration-points.md",
        "interview-summary.md",
        "plan.md",
        "stripe.md",  # the research note of the Stripe system, in research/
        "outcome.md",
    }
    assert all(score >= 95 for score in scores.values()), scores


@pytest.mark.parametrize(
    ("rules", "line", "message"),
    [
        (
            "  placeholder:\n    options:\n      extra_patterns:\n        - '<fill in>'\n"
            "        - '([unclosed'\n",
            7,
            "option 'extra_patterns' of rule placeholder: '([unclosed' is not a regular expression",
        ),
        (
            "  dependency-cycle:\n    options: {relations: [dependencies, depends_on]}\n",
            4,
            "option 'relations' of rule dependency-cycle: 'depends_on' is not one of "
            "parent, dependencies, related",
        ),
    ],
    ids=["bad-regex", "unknown-enum-value"],
)
def test_a_bad_rule_option_exits_2_naming_the_config_line(
    workspace: Path, rules: str, line: int, message: str
) -> None:
    write(workspace, ".interlock/config.yaml", f"preset: review\nrules:\n{rules}")
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate")
    assert result.exit_code == 2
    assert f".interlock/config.yaml:{line}: error: {message}" in result.output
    assert "please report this as a bug" not in result.output


# Built from pieces so that this file is not itself flagged by secret scanners.
_TOKEN = "ghp_" + "R7tYu2KpL9mNq4WxZ8vB3cD6fH1jS5aE0gIo"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_a_secret_is_masked_in_every_message_of_every_format(workspace: Path, fmt: str) -> None:
    # The checklist item and the empty section quote the token in their own messages.
    write(
        workspace,
        "specs/a.md",
        f"# Keys\n\n- [ ] rotate {_TOKEN} before launch\n\n## {_TOKEN}\n\n## Next\n\nText.\n",
    )
    result = invoke("validate", "--preset", "production", "--format", fmt, "--no-cache")
    assert result.exit_code == 1
    plain = result.output.replace("\\", "")  # Markdown escapes the mask's "_" and "*"
    assert plain.count("ghp_********") >= 3  # secret, checklist item, empty section
    assert _TOKEN[4:12] not in result.output


def test_a_secret_cut_short_by_a_quote_is_masked_too(workspace: Path) -> None:
    long_item = "rotate the deploy key of the payments service " + _TOKEN
    write(workspace, "specs/a.md", f"# Keys\n\n- [ ] {long_item}\n\n## Next\n\nText.\n")
    result = invoke("validate", "--preset", "production", "--format", "json", "--no-cache")
    messages = [finding["message"] for finding in json.loads(result.output)["findings"]]
    assert any("open checklist item" in message for message in messages)
    assert not any(_TOKEN[4:12] in message for message in messages)


@pytest.mark.parametrize(
    ("given", "guess"),
    [("warn", " (did you mean 'warning'?)"), ("critical", " (did you mean 'error'?)"), ("x", "")],
    ids=["warn", "critical", "nothing-close"],
)
def test_an_unknown_fail_on_names_the_valid_severities(
    workspace: Path, given: str, guess: str
) -> None:
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate", "--fail-on", given)
    assert result.exit_code == 2
    flat = " ".join(result.output.replace("│", " ").split())
    expected = f"unknown severity {given!r}; the severities are error, warning, info{guess}"
    assert expected in flat


def test_a_severity_config_mistake_reaches_the_user_with_file_and_line(workspace: Path) -> None:
    write(workspace, ".interlock/config.yaml", "rules:\n  empty-section: warn\n")
    write(workspace, "specs/a.md", EMPTY_SECTIONS)
    result = invoke("validate")
    assert result.exit_code == 2
    assert (
        ".interlock/config.yaml:2: error: rule empty-section: unknown severity 'warn'; "
        "the severities are error, warning, info, off (did you mean 'warning'?)"
    ) in result.output
