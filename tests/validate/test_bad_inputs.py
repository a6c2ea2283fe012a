"""Hostile and broken files given to ``interlock validate``, as a user would run it.

Whatever a file holds, the run completes, the file is reported (with a finding at the
line of the problem when it is broken), every other file is still checked, the JSON
report parses and no traceback is shown. Usage mistakes (a missing path, a broken
config file) exit 2 with a message naming the file and line.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interlock.render.blank import BlankKind
from support.rule_checks import BLANK_KINDS, blank_template, seed_text

if TYPE_CHECKING:  # the fixture's type; pytest itself imports the conftest
    from conftest import ValidateCli

VALID_SPEC = """\
---
id: spec-integration-payments-001
title: Payments Integration Specification
type: service_spec
category: architecture
author: '{{author-name}}'
version: 1.0.0
status: draft
priority: high
createdAt: 2024-05-02
updatedAt: 2024-05-02
---

# Payments Integration Specification

## Overview and Context

The order service charges cards through the provider. Owner: {{owner}}.

## Empty Section

## Contracts

| Method | Endpoint |
| ------ | -------- |
| POST | /v1/charges | extra |
"""
"""A spec whose findings sit on known lines: placeholders on 6 and 18, an empty
section on 20 and a table row with an extra cell on 26."""

EXPECTED_IN_VALID_SPEC = {
    ("placeholder", 6),
    ("placeholder", 18),
    ("empty-section", 20),
    ("table-shape", 26),
}

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def alias_bomb() -> str:
    """Front matter whose aliases would expand to a billion strings."""
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join([*lines, "---", "", "# Title", ""])


def deep_front_matter(opening: str, closing: str) -> str:
    return f"---\ndata: {opening * 10_000}1{closing * 10_000}\n---\n\n# Title\n"


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def finding_keys(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
    """Return what a user compares between two runs: everything but the path."""
    return sorted(
        (f["line"], f["column"], f["rule"], f["severity"], f["message"]) for f in findings
    )


@pytest.mark.parametrize(
    ("content", "position", "words"),
    [
        (PNG, None, "binary"),
        (b"# Title\n\nSome text\x00 here\n", (3, 10), "NUL byte"),
        (b"# Title\n\nIntro.\n\nCaf\xe9 au lait\n", (5, 4), "0xe9"),
        ("# Título\n".encode("utf-16"), None, "binary"),
    ],
    ids=["png-image", "nul-byte", "latin-1", "utf-16"],
)
def test_unreadable_file_is_one_finding_at_the_bad_byte(
    workspace: Path,
    validate_cli: ValidateCli,
    content: bytes,
    position: tuple[int, int] | None,
    words: str,
) -> None:
    write(workspace, "specs/bad.md", content)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.exit_code == 1
    [finding] = run.findings_of("specs/bad.md", "unreadable")
    assert words in finding["message"]
    if position is not None:
        assert (finding["line"], finding["column"]) == position
    assert run.rules_of("specs/bad.md") == {"unreadable"}, "no content of the file is checked"


def test_utf8_byte_order_mark_changes_nothing(workspace: Path, validate_cli: ValidateCli) -> None:
    write(workspace, "specs/plain.md", VALID_SPEC)
    other = VALID_SPEC.replace("payments-001", "payments-002")  # ids must stay unique
    write(workspace, "specs/bom.md", b"\xef\xbb\xbf" + other.encode("utf-8"))
    run = validate_cli(workspace, "specs", "--no-cache")
    bom = run.rules_of("specs/bom.md")
    assert not bom & {"unreadable", "front-matter-missing", "front-matter-invalid"}
    assert finding_keys([f for f in run.findings if f["path"] == "specs/bom.md"]) == finding_keys(
        [f for f in run.findings if f["path"] == "specs/plain.md"]
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings_keep_line_numbers(
    workspace: Path, validate_cli: ValidateCli, newline: str
) -> None:
    write(workspace, "specs/spec.md", VALID_SPEC.replace("\n", newline))
    run = validate_cli(workspace, "specs", "--no-cache")
    found = {(f["rule"], f["line"]) for f in run.findings}
    assert found >= EXPECTED_IN_VALID_SPEC
    assert "unreadable" not in run.rules_of("specs/spec.md")


def test_huge_file_is_refused_by_size_without_being_read(
    workspace: Path, validate_cli: ValidateCli
) -> None:
    write(workspace, "specs/small.md", VALID_SPEC)
    validate_cli(workspace, "specs/small.md", "--no-cache")  # imports done before measuring
    huge = workspace / "specs" / "dump.md"
    with huge.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: 20 MB of NUL bytes, written instantly
    tracemalloc.start()
    try:
        run = validate_cli(workspace, "specs", "--no-cache")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [finding] = run.findings_of("specs/dump.md", "unreadable")
    assert "20,971,520 bytes" in finding["message"]
    assert "limit" in finding["message"]
    assert finding["line"] == 1
    assert peak < 10 * 1024 * 1024, f"{peak:,} bytes allocated for a file that is not read"
    assert run.rules_of("specs/small.md") >= {"placeholder"}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (alias_bomb(), 3, "aliases"),
        (deep_front_matter("[", "]"), 2, "nested deeper"),
        (deep_front_matter("{a: ", "}"), 2, "nested deeper"),
        ("---\nid: spec-a-001\n# Title\n\nText.\n", 1, "never closed"),
        ("---\nid: spec-a-001\ntitle: A\nid: spec-a-002\n---\n# Title\n", 4, "duplicate key 'id'"),
        ("---\n- id\n- title\n---\n# Title\n", 2, "not a list"),
        ("---\njust a sentence\n---\n# Title\n", 2, "not a single value"),
        ("---\nid: [unclosed\n---\n# Title\n", 3, "not valid YAML"),
    ],
    ids=[
        "alias-bomb",
        "deep-list",
        "deep-mapping",
        "unterminated",
        "duplicate-key",
        "list",
        "scalar",
        "syntax-error",
    ],
)
def test_broken_front_matter_is_a_finding_at_its_line(
    workspace: Path, validate_cli: ValidateCli, text: str, line: int, words: str
) -> None:
    write(workspace, "specs/spec.md", text)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.exit_code == 1
    [finding] = run.findings_of("specs/spec.md", "front-matter-invalid")
    assert words in finding["message"]
    assert finding["line"] == line


@pytest.mark.parametrize(
    "body",
    [
        ">" * 10_000 + " a quote ten thousand levels deep\n",
        "[" * 10_000 + "link" + "]" * 10_000 + "\n",
        "*" * 10_000 + "emphasis" + "*" * 10_000 + "\n",
        "".join("  " * depth + "- item\n" for depth in range(1_000)),
        "| a " * 5_000 + "|\n" + "| - " * 5_000 + "|\n" + "| b " * 4_000 + "|\n",
        "<!--\n" * 10_000,
    ],
    ids=["quotes", "brackets", "emphasis", "lists", "wide-table", "open-comments"],
)
def test_deeply_nested_markdown_body_is_checked(
    workspace: Path, validate_cli: ValidateCli, body: str
) -> None:
    write(workspace, "specs/spec.md", "# Title\n\n" + body)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.exit_code in (0, 1)
    assert run.report is not None
    assert [file["path"] for file in run.report["files"]] == ["specs/spec.md"]
    assert "unreadable" not in run.rules_of("specs/spec.md")


def test_headings_inside_code_blocks_are_not_sections(
    workspace: Path, validate_cli: ValidateCli
) -> None:
    text = (
        "---\nid: spec-a-001\ntitle: Alpha\n---\n\nHow to write a spec:\n\n"
        "```markdown\n## Third-Party System Information\n## Integration Contracts\n```\n"
    )
    write(workspace, "specs/spec.md", text)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.report is not None
    [file] = run.report["files"]
    assert file["kind"] != "integration-spec", "code made the document an integration spec"
    assert not [f for f in run.findings if f["line"] in (9, 10)], "a code line was a heading"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "front-matter-missing"),
        ("\n\n\n", "front-matter-missing"),
        ("---\nid: spec-a-001\ntitle: Alpha spec\n---\n", "required-field"),
        ("---\n---\n", "required-field"),
    ],
    ids=["empty", "blank-lines", "only-front-matter", "empty-front-matter"],
)
def test_nearly_empty_files_are_reported(
    workspace: Path, validate_cli: ValidateCli, text: str, expected: str
) -> None:
    write(workspace, "specs/spec.md", text)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.exit_code == 1
    assert expected in run.rules_of("specs/spec.md")
    lines = max(len(text.splitlines()), 1)
    assert all(1 <= f["line"] <= lines + 1 for f in run.findings)


def _assert_placeholders_reported(workspace: Path, validate_cli: ValidateCli, text: str) -> None:
    write(workspace, "specs/template.md", text)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.exit_code == 1
    placeholders = run.findings_of("specs/template.md", "placeholder")
    assert len(placeholders) >= 20
    lines = text.splitlines()
    for finding in placeholders:
        # The message quotes the token (shortened with an ellipsis when long).
        quoted = finding["message"].removeprefix("unfilled placeholder ")
        token = ast.literal_eval(quoted).rstrip("…")
        assert lines[finding["line"] - 1][finding["column"] - 1 :].startswith(token), finding


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_blank_template_reports_its_placeholders(
    workspace: Path, validate_cli: ValidateCli, kind: BlankKind
) -> None:
    _assert_placeholders_reported(workspace, validate_cli, blank_template(kind))


@pytest.mark.seeds
@pytest.mark.parametrize("seed", ["004", "002"], ids=["integration-spec", "integration-points"])
def test_raw_seed_template_reports_its_placeholders(
    workspace: Path, validate_cli: ValidateCli, seeds: Path, seed: str
) -> None:
    _assert_placeholders_reported(workspace, validate_cli, seed_text(seeds, seed))


def test_a_folder_of_bad_files_reports_every_file(
    workspace: Path, validate_cli: ValidateCli
) -> None:
    files: dict[str, str | bytes] = {
        "specs/good.md": VALID_SPEC,
        "specs/image.md": PNG,
        "specs/nul.md": b"# A\x00\n",
        "specs/latin1.md": b"# Caf\xe9\n",
        "specs/bom.md": b"\xef\xbb\xbf" + VALID_SPEC.encode(),
        "specs/crlf.md": VALID_SPEC.replace("\n", "\r\n"),
        "specs/bomb.md": alias_bomb(),
        "specs/deep.md": deep_front_matter("[", "]"),
        "specs/unterminated.md": "---\nid: x\n",
        "specs/duplicate.md": "---\nid: a\nid: b\n---\n",
        "specs/list.md": "---\n- a\n---\n",
        "specs/scalar.md": "---\n42\n---\n",
        "specs/code.md": "```\n## Heading in code\n```\n",
        "specs/empty.md": "",
        "specs/front-matter-only.md": "---\nid: spec-a-001\n---\n",
        "specs/nested/deeper/also.md": "# Also\n\nText.\n",
    }
    for name, content in files.items():
        write(workspace, name, content)
    with (workspace / "specs" / "huge.md").open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    run = validate_cli(workspace, "specs", "--no-cache")
    assert run.exit_code == 1
    assert run.report is not None
    reported = {file["path"] for file in run.report["files"]}
    assert reported == {*files, "specs/huge.md"}
    unreadable = {f["path"] for f in run.findings if f["rule"] == "unreadable"}
    assert unreadable == {"specs/image.md", "specs/nul.md", "specs/latin1.md", "specs/huge.md"}
    assert run.rules_of("specs/good.md") >= {"placeholder", "empty-section", "table-shape"}


def test_missing_path_exits_2_naming_it(workspace: Path, validate_cli: ValidateCli) -> None:
    write(workspace, "specs/good.md", VALID_SPEC)
    run = validate_cli(workspace, "specs/good.md", "specs/missing.md", json_report=False)
    assert run.exit_code == 2
    assert "specs/missing.md" in run.output
    assert "no such file" in run.output


CONFIG_CASES = [
    ("rules:\n  placeholder: error\n  empty-section: warning\n  - off\n", 4, "invalid YAML"),
    ("rules:\n  placeholder: error\n  no-such-rule: warning\n", 3, "unknown rule 'no-such-rule'"),
    (
        "rules:\n  content-length:\n    options:\n      min_words: many\n",
        4,
        "must be a whole number",
    ),
    ("fail_on: error\npreset: strictest\n", 2, "unknown preset"),
]
CONFIG_IDS = ["syntax-error", "unknown-rule", "wrong-option-type", "unknown-preset"]


@pytest.mark.parametrize(("config", "line", "words"), CONFIG_CASES, ids=CONFIG_IDS)
def test_bad_workspace_config_exits_2_naming_file_and_line(
    workspace: Path, validate_cli: ValidateCli, config: str, line: int, words: str
) -> None:
    path = write(workspace, ".interlock/config.yaml", config)
    write(workspace, "specs/good.md", VALID_SPEC)
    run = validate_cli(workspace, "specs", json_report=False)
    assert run.exit_code == 2
    assert f"{path.resolve()}:{line}:" in run.output
    assert words in run.output


@pytest.mark.parametrize(("config", "line", "words"), CONFIG_CASES, ids=CONFIG_IDS)
def test_bad_config_option_file_exits_2_naming_file_and_line(
    workspace: Path, validate_cli: ValidateCli, config: str, line: int, words: str
) -> None:
    write(workspace, "lint.yaml", config)
    write(workspace, "specs/good.md", VALID_SPEC)
    run = validate_cli(workspace, "specs", "--config", "lint.yaml", json_report=False)
    assert run.exit_code == 2
    assert f"lint.yaml:{line}:" in run.output
    assert words in run.output


def _interlock(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(root / "user-cache")}
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_end_to_end_bad_folder_as_a_process(workspace: Path) -> None:
    write(workspace, "specs/good.md", VALID_SPEC)
    write(workspace, "specs/image.md", PNG)
    write(workspace, "specs/bomb.md", alias_bomb())
    write(workspace, "specs/deep.md", deep_front_matter("{a: ", "}"))
    completed = _interlock(workspace, "validate", "--format", "json", "--output", "out.json")
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr
    report = json.loads((workspace / "out.json").read_text(encoding="utf-8"))
    assert len(report["files"]) == 4
    assert not (workspace / ".interlock" / "cache").exists(), "no cache inside the workspace"
    assert list((workspace / "user-cache").rglob("validate-*.sqlite")), "a user cache"
    again = _interlock(workspace, "validate", "--format", "json", "--output", "again.json")
    assert again.returncode == 1
    assert json.loads((workspace / "again.json").read_text(encoding="utf-8")) == report


def test_end_to_end_usage_errors_as_a_process(workspace: Path) -> None:
    missing = _interlock(workspace, "validate", "specs/nowhere.md")
    assert missing.returncode == 2
    assert "specs/nowhere.md" in missing.stderr
    write(workspace, ".interlock/config.yaml", "rules:\n  no-such-rule: error\n")
    broken = _interlock(workspace, "validate")
    assert broken.returncode == 2
    assert "config.yaml:2:" in broken.stderr
    assert "Traceback" not in missing.stderr + broken.stderr
