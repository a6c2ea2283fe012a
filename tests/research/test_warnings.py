"""Research reads what it can: each part that breaks OpenAPI is a warning, unless --strict."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.errors import InputError
from interlock.research.json_positions import JsonLocator
from interlock.research.openapi import load_openapi

if TYPE_CHECKING:  # the fixture's type; pytest itself imports the conftest
    from conftest import Run

VENDORS = Path(os.environ.get("INTERLOCK_VENDOR_DOCS", "/tmp/vendors"))

BROKEN = """\
openapi: 3.0.3
info:
  title: Broken
  version: 1
paths:
  /search:
    get:
      parameters:
        - name: q
          in: querystring
      responses:
        '200':
          description: ok
        '600':
          description: no such code
  nopath:
    get:
      responses: {}
components:
  schemas:
    Thing:
      type: objekt
"""

EXPECTED = [
    ("/info/version", 4, "must be text"),
    ("/paths/~1search/get/parameters/0/in", 10, "must be one of path, query, header, cookie"),
    ("/paths/~1search/get/responses/600", 14, "is a field the specification does not allow here"),
    ("/paths/nopath", 16, "is a field the specification does not allow here"),
    ("/components/schemas/Thing/type", 22, "must be one of array, boolean, integer"),
]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_each_broken_part_is_one_warning_with_pointer_line_and_message(broken: Path) -> None:
    document = load_openapi(str(broken))
    found = [(w.pointer, w.line, w.message) for w in document.warnings]
    assert [(pointer, line) for pointer, line, _ in found] == [(p, n) for p, n, _ in EXPECTED]
    for (_, _, message), (_, _, words) in zip(found, EXPECTED, strict=True):
        assert message.startswith(words)
    assert document.warnings_total == len(EXPECTED)
    assert all(w.document == str(broken) for w in document.warnings)
    assert "/search" in document.data["paths"]  # read all the same


def test_strict_refuses_at_the_first_warning_and_counts_the_others(broken: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_openapi(str(broken), strict=True)
    assert (caught.value.path, caught.value.line) == (broken, 4)
    assert caught.value.message == (
        "invalid OpenAPI 3.0 at /info/version: must be text (4 more problems besides)"
    )


def test_warnings_are_capped_and_counted(tmp_path: Path) -> None:
    paths = {f"/p{n}": {"get": {"responses": {"200": {"description": n}}}} for n in range(250)}
    path = tmp_path / "many.json"
    api = {"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": paths}
    path.write_text(json.dumps(api, indent=1), encoding="utf-8")
    document = load_openapi(str(path))
    assert len(document.warnings) == 200
    assert document.warnings_total == 250
    first = document.warnings[0]
    assert (first.pointer, first.message) == (
        "/paths/~1p0/get/responses/200/description",
        "must be text",
    )
    assert (first.line, first.column) == (12, 7)


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("#pet", "points to an anchor, which is not followed"),
        ("https://example.com/schemas/pet", "points to a schema by its $id, which is not followed"),
        ("missing.yaml#/Pet", "no such file"),
    ],
    ids=["anchor", "id", "missing-file"],
)
def test_a_reference_not_followed_is_a_warning_at_its_line(
    tmp_path: Path, ref: str, reason: str
) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Pet:\n      $id: https://example.com/schemas/pet\n      $anchor: pet\n"
        f"    Owner:\n      $ref: '{ref}'\n",
        encoding="utf-8",
    )
    document = load_openapi(str(path))
    (warning,) = document.warnings
    assert (warning.pointer, warning.line) == ("/components/schemas/Owner/$ref", 10)
    assert warning.message == f"this $ref is not followed: {reason}"
    (item,) = document.unresolved
    assert item.reason == reason
    with pytest.raises(InputError, match="at /components/schemas/Owner/\\$ref"):
        load_openapi(str(path), strict=True)


def test_a_part_from_a_referenced_file_is_named_at_its_own_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "responses.yaml").write_text(
        "Ok:\n  description: fine\nBad:\n  description: 5\n", encoding="utf-8"
    )
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200': {$ref: 'responses.yaml#/Ok'}\n"
        "        '400': {$ref: 'responses.yaml#/Bad'}\n",
        encoding="utf-8",
    )
    (warning,) = load_openapi(str(path)).warnings
    assert warning.document == str(tmp_path / "responses.yaml")
    assert (warning.pointer, warning.line, warning.message) == (
        "/Bad/description",
        4,
        "must be text",
    )


def test_the_command_warns_and_still_writes_the_note(
    workspace: Path, broken: Path, run: Run
) -> None:
    result = run("research", "payments", "--openapi", str(broken))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert lines[0] == f"warning: {broken}:4: at /info/version: must be text"
    assert len(lines) == len(EXPECTED)
    assert list((workspace / "specs" / "payments").rglob("*.md"))


def test_the_command_refuses_with_strict(workspace: Path, broken: Path, run: Run) -> None:
    result = run("research", "payments", "--openapi", str(broken), "--strict")
    assert result.exit_code == 2
    assert f"{broken}:4: error: invalid OpenAPI 3.0 at /info/version: must be text" in result.output
    assert "4 more problems" in result.output
    assert not (workspace / "specs" / "payments").exists()


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("github.json", "OpenAPI 3.0"),
        ("twilio-api-v2010.json", "OpenAPI 3.0"),
        ("slack-web.json", "Swagger 2.0"),
    ],
    ids=["github", "twilio", "slack"],
)
def test_real_vendor_documents_are_read_not_refused(name: str, label: str) -> None:
    path = VENDORS / name
    if not path.is_file():
        pytest.skip(
            f"{path} is absent (set INTERLOCK_VENDOR_DOCS to the folder of vendor documents)"
        )
    document = load_openapi(str(path), max_bytes=30 * 1024 * 1024)
    assert document.label.startswith(label)
    assert document.data["paths"]
    assert len(document.warnings) == min(document.warnings_total, 200)
    for warning in document.warnings:
        assert warning.line is not None


# The locator against a slow reference: a recursive-descent parser that notes where
# every key and item starts.

_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
_KEYS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


def _reference_positions(text: str) -> dict[tuple[Any, ...], int]:
    decoder = json.JSONDecoder()
    found: dict[tuple[Any, ...], int] = {}

    def space(at: int) -> int:
        while at < len(text) and text[at] in " \t\n\r":
            at += 1
        return at

    def value(at: int, path: tuple[Any, ...]) -> int:
        at = space(at)
        if text[at] == "{":
            at = space(at + 1)
            while text[at] != "}":
                start = at
                key, at = decoder.raw_decode(text, at)
                found[(*path, key)] = start
                at = value(space(at) + 1, (*path, key))
                at = space(at)
                at = space(at + 1) if text[at] == "," else at
            return at + 1
        if text[at] == "[":
            at, index = space(at + 1), 0
            while text[at] != "]":
                found[(*path, index)] = at
                at = space(value(at, (*path, index)))
                at = space(at + 1) if text[at] == "," else at
                index += 1
            return at + 1
        return decoder.raw_decode(text, at)[1]

    found[()] = space(0)
    value(0, ())
    return found


@settings(max_examples=200, deadline=None)
@given(data=_JSON, indent=st.sampled_from([None, 0, 1, 2, 4]), ascii_only=st.booleans())
def test_the_json_locator_agrees_with_a_slow_reference(
    data: Any, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    locator = JsonLocator(text)
    for path, offset in _reference_positions(text).items():
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert locator.position_of(path) == (line, column), path
