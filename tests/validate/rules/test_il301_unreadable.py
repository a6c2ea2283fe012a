from pathlib import Path
from typing import Any

import pytest

from interlock.documents.parser import load_document
from interlock.errors import InputError
from interlock.model.finding import Problem
from interlock.validate.registry import Rule, find_rule
from support.rule_checks import config_error

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.fixture
def rule() -> Rule:
    found = find_rule("unreadable")
    assert found is not None
    return found


def problems_for(
    rule: Rule, path: Path, data: bytes, options: dict[str, Any] | None = None
) -> list[Problem]:
    """Write ``data`` to ``path``, load it as the runner does, and run the rule."""
    path.write_bytes(data)
    merged = {**rule.options, **(options or {})}
    with pytest.raises(InputError) as caught:
        load_document(path, max_bytes=merged["max_bytes"])
    return list(rule.module.check(caught.value, merged))


def test_rule_checks_files_with_a_5_mib_limit(rule: Rule) -> None:
    assert rule.scope == "file"
    assert rule.options == {"max_bytes": 5 * 1024 * 1024}


def test_binary_file_is_reported_at_its_first_nul_byte(rule: Rule, tmp_path: Path) -> None:
    (problem,) = problems_for(rule, tmp_path / "diagram.md", PNG_HEADER)
    assert (problem.line, problem.column) == (3, 1)
    assert "binary content" in problem.message


def test_nul_byte_in_line_3_is_reported_there(rule: Rule, tmp_path: Path) -> None:
    (problem,) = problems_for(rule, tmp_path / "spec.md", b"# Spec\n\nab\x00cd\n")
    assert (problem.line, problem.column) == (3, 3)
    assert "NUL byte" in problem.message


def test_invalid_utf8_is_reported_at_the_bad_byte(rule: Rule, tmp_path: Path) -> None:
    data = b"# Spec\n\nMenu: " + b"Caf\xe9 cr\xe8me\n"
    (problem,) = problems_for(rule, tmp_path / "spec.md", data)
    assert (problem.line, problem.column) == (3, 10)
    assert "invalid UTF-8 (byte 0xe9)" in problem.message


def test_file_over_max_bytes_is_reported_with_how_to_raise_the_limit(
    rule: Rule, tmp_path: Path
) -> None:
    data = b"# Spec\n\n" + b"text " * 40
    (problem,) = problems_for(rule, tmp_path / "spec.md", data, {"max_bytes": 100})
    assert (problem.line, problem.column) == (1, 1)
    assert "over the 100-byte limit" in problem.message
    assert "max_bytes" in problem.hint


def test_missing_file_is_reported_at_line_1(rule: Rule, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_document(tmp_path / "gone.md")
    (problem,) = rule.module.check(caught.value, rule.options)
    assert (problem.line, problem.column) == (1, 1)
    assert "cannot read file" in problem.message


def test_byte_order_mark_and_crlf_are_readable(rule: Rule, tmp_path: Path) -> None:
    path = tmp_path / "spec.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nid: spec-a\r\n---\r\n\r\n# Caf\xc3\xa9\r\n")
    doc = load_document(path, max_bytes=rule.options["max_bytes"])
    assert doc.lines == ("---", "id: spec-a", "---", "", "# Café")
    assert doc.front_matter is not None
    assert doc.front_matter.data == {"id": "spec-a"}


def test_a_size_limit_of_zero_is_a_config_error(tmp_path: Path) -> None:
    error = config_error(tmp_path, "  unreadable:\n    options:\n      max_bytes: 0\n")
    assert error.line == 4
    assert "must be a positive number of bytes" in error.message
