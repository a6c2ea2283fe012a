"""`interlock new NAME --blank`: a blank spec to fill by hand, which validate can read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from interlock.documents.model import DocumentKind
from interlock.documents.parser import load_document
from interlock.errors import StoreError, UsageError
from interlock.model.finding import Severity
from interlock.render.blank import BlankKind, render_blank, write_blank
from interlock.validate.runner import ConfigRequest, validate_paths

TODAY = date(2024, 5, 2)
Invoke = Callable[..., Result]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".interlock").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(root: Path, path: Path) -> Counter[tuple[str, Severity]]:
    result = validate_paths(
        [path], ConfigRequest(start=root, preset="review"), use_cache=False, cwd=root
    )
    return Counter((f.rule, f.severity) for file in result.files for f in file.findings)


def test_the_front_matter_holds_what_is_known_and_placeholders_for_the_rest() -> None:
    text = render_blank("payments", BlankKind.INTEGRATION_SPEC, author="Dana Ortiz", today=TODAY)
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "id": "spec-integration-payments-001",
        "title": "Payments Integration Specification",
        "type": "service_spec",
        "category": "architecture",
        "author": "Dana Ortiz",
        "version": "1.0.0",
        "status": "draft",
        "priority": "{{low, medium, high or critical}}",
        "createdAt": TODAY,
        "updatedAt": TODAY,
        "estimatedEffort": "{{hours}}",
        "actualEffort": "{{hours}}",
        "reviewers": [],
        "approvers": [],
        "tags": ["integration", "{{integration-type}}", "{{third-party}}"],
        "parent": "{{parent-spec-id}}",
        "dependencies": ["{{dependency-spec-id}}"],
        "related": ["{{related-spec-id}}"],
    }
    assert "\n# Payments Integration Specification\n" in text


@pytest.mark.parametrize(
    "author",
    ["O'Brien: lead # payments", "- dash", "{{ 7*7 }}", "Ünïcode\nsecond line"],
    ids=["colon-quote-hash", "leading-dash", "template-code", "unicode-line-break"],
)
def test_any_author_keeps_the_front_matter_valid(author: str) -> None:
    text = render_blank("payments", BlankKind.INTEGRATION_SPEC, author=author, today=TODAY)
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["author"] == " ".join(author.split())


def test_the_blank_spec_is_all_placeholders_to_validate(root: Path) -> None:
    path = write_blank(root, "payments", author="Dana Ortiz", today=TODAY)
    assert path == root / "specs" / "payments" / "integration-spec.md"
    doc = load_document(path)
    assert doc.kind is DocumentKind.INTEGRATION_SPEC
    assert doc.front_matter is not None and doc.front_matter.error is None
    findings = _findings(root, path)
    errors = {rule for (rule, severity) in findings if severity is Severity.ERROR}
    # What is left to write, and nothing else: no section, field or link is broken.
    assert errors == {"placeholder"}
    assert findings[("placeholder", Severity.ERROR)] > 100
    assert findings[("template-guidance", Severity.WARNING)] == 13


def test_the_blank_integration_points_document_has_its_header_filled(root: Path) -> None:
    path = write_blank(
        root, "payments", BlankKind.INTEGRATION_POINTS, author="Dana Ortiz", today=TODAY
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Integration Points - Payments\n\n**Created**: 2024-05-02  \n"
        "**Last Updated**: 2024-05-02  \n**Author**: Dana Ortiz  \n**SEV Level**: SEV-X  \n"
    )
    assert load_document(path).kind is DocumentKind.INTEGRATION_POINTS
    errors = {rule for (rule, severity) in _findings(root, path) if severity is Severity.ERROR}
    assert errors == {"placeholder"}


def test_an_existing_file_is_never_replaced(root: Path) -> None:
    path = root / "specs" / "payments" / "integration-spec.md"
    path.parent.mkdir(parents=True)
    path.write_text("# Our own spec\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"integration-spec\.md already exists"):
        write_blank(root, "payments", author="Dana", today=TODAY)
    assert path.read_text(encoding="utf-8") == "# Our own spec\n"
    assert sorted(item.name for item in path.parent.iterdir()) == ["integration-spec.md"]


def test_a_name_that_is_not_a_slug_is_refused(root: Path) -> None:
    with pytest.raises(StoreError, match="not a slug"):
        write_blank(root, "Payments API", author="Dana", today=TODAY)
    assert not (root / "specs").exists()


def test_the_command_writes_each_kind_once(root: Path, invoke: Invoke) -> None:
    spec = invoke("new", "payments", "--blank", "--author", "Dana")
    assert spec.exit_code == 0, spec.output
    assert "wrote specs/payments/integration-spec.md" in spec.output
    points = invoke("new", "payments", "--blank", "--kind", "integration-points")
    assert points.exit_code == 0, points.output
    assert (root / "specs" / "payments" / "integration-points.md").is_file()
    again = invoke("new", "payments", "--blank")
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_the_command_writes_the_blank_spec_without_blank_too(root: Path, invoke: Invoke) -> None:
    result = invoke("new", "payments", "--author", "Dana")
    assert result.exit_code == 0, result.output
    assert "wrote specs/payments/integration-spec.md" in result.output
    spec = (root / "specs" / "payments" / "integration-spec.md").read_text(encoding="utf-8")
    assert "author: Dana" in spec


def test_the_command_outside_a_workspace_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "payments", "--blank")
    assert result.exit_code == 2
    assert "interlock init" in result.output
