"""The research note: golden files, hostile text, and the real validator's verdict.

``pytest tests/research --update-golden`` rewrites ``tests/research/golden/*.md``;
review the diff before committing it.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interlock.cli.app import app
from interlock.research.extract import extract_research
from interlock.research.notes import code, quote, render_note
from interlock.research.openapi import load_openapi

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"

needs_validator = pytest.mark.skipif(
    importlib.util.find_spec("openapi_spec_validator") is None,
    reason="openapi-spec-validator is not installed",
)


def note_of(name: str) -> str:
    return render_note(extract_research(load_openapi(str(FIXTURES / name)), source=name))


@needs_validator
@pytest.mark.parametrize(
    "name",
    ["petstore-3.0.yaml", "petstore-2.0.json", "payments-3.1.yaml", "hostile-text.yaml"],
    ids=["petstore-3.0", "petstore-2.0", "payments-3.1", "hostile-text"],
)
def test_the_note_matches_its_golden_file(name: str, request: pytest.FixtureRequest) -> None:
    text = note_of(name)
    golden = GOLDEN / f"{Path(name).stem}.md"
    if request.config.getoption("--update-golden", default=False):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest tests/research --update-golden"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs"


@needs_validator
@pytest.mark.parametrize(
    "name",
    [
        "petstore-3.0.yaml",
        "petstore-2.0.json",
        "payments-3.1.yaml",
        "hostile-text.yaml",
        "recursive.yaml",
    ],
    ids=["petstore-3.0", "petstore-2.0", "payments-3.1", "hostile-text", "recursive"],
)
def test_the_note_passes_review_validation(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".interlock").mkdir()
    folder = tmp_path / "specs" / "api"
    folder.mkdir(parents=True)
    (folder / "research.md").write_text(note_of(name), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "specs/api", "--preset", "review", "--no-color"])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings, 0 infos" in result.output, result.output


@needs_validator
def test_hostile_text_cannot_add_structure() -> None:
    text = note_of("hostile-text.yaml")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Research: \\# Evil \\| API \\{\\{ title \\}\\} \\<script>alert(1)\\</script>",
        "## External System",
        "### Servers",
        "### Authentication",
        "## Key Endpoints/Features",
        "## Constraints",
        "### Versioning",
        "### Size Limits",
        "## What the Document Does Not Say",
    ]
    # Every < from the document is escaped; the only raw ones open links and line breaks.
    assert re.findall(r"(?<!\\)<[^h]", text) == []
    assert "{{" not in text
    # Each table row keeps its cell count: pipes from the document are escaped.
    for line in text.splitlines():
        if line.startswith("| "):
            assert line.replace("\\|", "").count("|") in (5, 6), line


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Dates as YYYY-MM-DD", "Dates as YYYY\\-MM\\-DD"),
        ("TODO: document it", "&#84;ODO: document it"),
        ("Limits TBD, FIXME", "Limits &#84;BD, &#70;IXME"),
        ("TODOS stay", "TODOS stay"),
        ("to be determined", "to be&#32;determined"),
        ("what???", "what?\\?\\?"),
    ],
    ids=["date-format", "todo", "tbd-fixme", "longer-word", "phrase", "question-marks"],
)
def test_quoted_text_does_not_read_as_our_own_open_work(written: str, shown: str) -> None:
    assert quote(written) == shown


@pytest.mark.parametrize(
    ("text", "cell", "shown"),
    [
        ("GET /pets/{id}", False, "`GET /pets/{id}`"),
        ("a|b", True, "`a\\|b`"),
        ("a|b", False, "`a|b`"),
        ("has `ticks`", False, "`` has `ticks` ``"),
        ("`edge", False, "`` `edge ``"),
        ("/x/{{id}}", False, "/x/\\{\\{id\\}\\}"),
    ],
    ids=["path", "pipe-in-cell", "pipe-in-text", "inner-ticks", "edge-tick", "mustache"],
)
def test_code_spans(text: str, cell: bool, shown: str) -> None:
    assert code(text, cell) == shown
