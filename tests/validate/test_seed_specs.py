"""The promises of the validator on real documents: the seed templates and filled specs."""

from pathlib import Path

import pytest

from interlock.model.finding import Severity
from interlock.validate.runner import ConfigRequest, validate_paths
from support.rule_checks import seed_text

ROOT = Path(__file__).resolve().parents[2]
FILLED = ROOT / "tests" / "fixtures" / "specs"
EXAMPLE = ROOT / "examples" / "workspace"


def validate(*paths: Path, preset: str = "review", cwd: Path = ROOT):  # type: ignore[no-untyped-def]
    return validate_paths(list(paths), ConfigRequest(cwd, preset=preset), use_cache=False, cwd=cwd)


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_a_filled_in_seed_template_passes_review_with_its_checklist_open(name: str) -> None:
    result = validate(FILLED / name)
    errors = [
        f for f in result.findings if f.severity is Severity.ERROR and f.rule != "dangling-link"
    ]
    assert errors == []
    warnings = [f for f in result.findings if f.severity is Severity.WARNING]
    assert warnings == []
    assert {f.rule for f in result.findings} <= {"unchecked-item", "dangling-link"}


def test_the_example_payments_spec_passes_review_inside_its_workspace() -> None:
    result = validate(EXAMPLE / "specs" / "payments", cwd=EXAMPLE)
    assert not result.failed()
    assert {f.rule for f in result.findings} == {"unchecked-item"}


def test_production_wants_the_checklist_done_and_the_spec_approved() -> None:
    result = validate(EXAMPLE / "specs" / "payments", preset="production", cwd=EXAMPLE)
    assert result.failed()
    assert {f.rule for f in result.findings if f.severity is Severity.ERROR} == {
        "unchecked-item",
        "approval",
    }


@pytest.mark.seeds
@pytest.mark.parametrize("seed", ["004", "002"], ids=["integration-spec", "integration-points"])
def test_the_raw_seed_templates_fail_review_on_placeholders(
    seeds: Path, seed: str, tmp_path: Path
) -> None:
    copy = tmp_path / "template.md"
    copy.write_text(seed_text(seeds, seed), encoding="utf-8")
    result = validate(copy, cwd=tmp_path)
    assert result.failed()
    placeholders = [f for f in result.findings if f.rule == "placeholder"]
    assert len(placeholders) > 50
    assert not [f for f in result.findings if "failed on this file" in f.message]
