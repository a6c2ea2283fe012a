import json
from pathlib import Path

import pytest

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
