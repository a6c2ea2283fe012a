"""YAML documents read fast, with the same data and lines as the careful loader gives."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.errors import InputError
from interlock.research.source import Retrieved
from interlock.research.syntax import parse_document
from interlock.research.yaml_positions import YamlLocator
from interlock.safe_yaml import PathKey, dump_yaml, load_yaml, reads_plainly


def retrieved(text: str, name: str = "api.yaml") -> Retrieved:
    return Retrieved(text=text, shown=name, uri=f"file:///docs/{name}", name=name)


def every_path(value: Any, path: PathKey = ()) -> list[PathKey]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += every_path(child, (*path, str(key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += every_path(child, (*path, index))
    return found


# Text that YAML 1.1 (which writes the examples) and 1.2 (which reads them) read alike:
# 1.1 writes "08" bare, which 1.2 reads as the number 8.
_KEY = st.text(alphabet="abcxyz_-0123456789 ", min_size=1, max_size=6).filter(
    lambda key: key.strip() == key and not key.lstrip("+-")[:1].isdigit()
)
_TEXT = st.text(alphabet="abc xyz:#-,'\"é\n", max_size=12)
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), _TEXT, st.just("2024-06-01"))
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEY, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=150)
@given(st.dictionaries(_KEY, _VALUE, min_size=1, max_size=5), st.booleans())
def test_every_place_has_the_line_the_careful_loader_gives(
    data: dict[str, Any], flow: bool
) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, width=40)
    careful = load_yaml(text, path="api.yaml")
    parsed = parse_document(retrieved(text))
    assert parsed.value == careful.value
    locator = YamlLocator(text)
    for path in every_path(careful.value):
        assert locator.line_of(path) == careful.line_of(path), path


def test_lines_of_a_written_document_and_of_places_it_lacks() -> None:
    text = (
        "# a vendor's document\n"
        "openapi: 3.0.3\n"
        "paths:\n"
        "  /charges:\n"
        "    get:\n"
        "      parameters:\n"
        "        - name: limit\n"
        "          in: query\n"
        "        - {name: starting_after, in: query}\n"
        "      responses:\n"
        "        200: {description: ok}\n"
    )
    locator = YamlLocator(text)
    assert locator.line_of(("paths", "/charges", "get", "parameters", 0, "in")) == 8
    assert locator.line_of(("paths", "/charges", "get", "parameters", 1, "name")) == 9
    assert locator.line_of(("paths", "/charges", "get", "responses", "200")) == 11
    # A place the text does not have is given its nearest ancestor's line.
    assert locator.line_of(("paths", "/charges", "post", "x")) == 4
    assert locator.line_of(("nowhere",)) == 2, "the line the document starts on"


def test_dates_and_numbers_read_as_an_openapi_document_means_them() -> None:
    text = "openapi: 3.1.0\ninfo: {version: 2024-06-01, title: '2024-06-02'}\npaths:\n  /a:\n    get:\n      responses: {200: {description: ok}}\n"
    value = parse_document(retrieved(text)).value
    assert value["info"] == {"version": "2024-06-01", "title": "2024-06-02"}
    assert list(value["paths"]["/a"]["get"]["responses"]) == ["200"]


@pytest.mark.parametrize(
    ("text", "said", "line"),
    [
        ("openapi: 3.0.3\npaths: {}\nopenapi: 3.1.0\n", "duplicate", 3),
        ("openapi: 3.0.3\nbase: &b {x: 1}\nother: *b\n", "alias", 3),
        ("openapi: 3.0.3\npaths: [1, 2\ninfo: x\n", "", 3),
    ],
)
def test_a_fault_is_reported_by_the_careful_loader_with_its_line(
    text: str, said: str, line: int
) -> None:
    with pytest.raises(InputError) as caught:
        parse_document(retrieved(text))
    assert said in str(caught.value).lower()
    assert caught.value.line == line


def test_a_deep_document_is_refused_not_crashed(tmp_path: Path) -> None:
    text = "openapi: 3.0.3\nx:\n" + "".join("  " * (depth + 1) + "a:\n" for depth in range(400))
    with pytest.raises(InputError) as caught:
        parse_document(retrieved(text))
    assert "deep" in str(caught.value).lower()


def test_a_written_answers_file_round_trips_through_the_fast_reader() -> None:
    # dump_yaml is how Interlock writes YAML; what it writes must read back the same.
    data = {"a": ["x, y", "2024-06-01", "no"], "b": {"c": "multi\nline"}}
    assert parse_document(retrieved(dump_yaml(data))).value == data


@pytest.mark.parametrize(
    "text",
    [
        "openapi: 3.0.3\nmaximum: 18446744073709551615\n",  # beyond 64 bits
        "openapi: 3.0.3\nname: !!str 123\n",  # an explicit tag
        "openapi: 3.0.3\n? [a, b]\n: x\n",  # a key that is a sequence
    ],
)
def test_what_readers_read_differently_goes_to_the_careful_loader(text: str) -> None:
    assert not reads_plainly(text)
    try:
        expected: Any = load_yaml(text, path="api.yaml").value
    except InputError as error:
        with pytest.raises(InputError) as caught:
            parse_document(retrieved(text))
        assert caught.value.line == error.line
        return
    assert parse_document(retrieved(text)).value == {str(k): v for k, v in expected.items()}


def test_plain_yaml_is_read_plainly() -> None:
    text = "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {'200': {description: ok}}}}\n"
    assert reads_plainly(text)
    assert not reads_plainly(text + "---\nsecond: document\n")


# YAML 1.2's core schema (section 10.3.2 of the specification), the oracle.
_CORE_NULL = re.compile(r"null|Null|NULL|~|")
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_CORE_BOOL["FALSE"] = False
_CORE_INT = ((re.compile(r"[-+]?[0-9]+"), 10), (re.compile(r"0o[0-7]+"), 8))
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_CORE_SPECIAL = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf}


def core_schema(plain: str) -> Any:
    if _CORE_NULL.fullmatch(plain):
        return None
    if plain in _CORE_BOOL:
        return _CORE_BOOL[plain]
    for pattern, base in _CORE_INT:
        if pattern.fullmatch(plain):
            return int(plain.replace("0o", ""), base)
    if _CORE_HEX.fullmatch(plain):
        return int(plain, 16)
    if _CORE_FLOAT.fullmatch(plain):
        return float(plain)
    sign, rest = (plain[0], plain[1:]) if plain[:1] in "+-" else ("", plain)
    if rest in _CORE_SPECIAL:
        return -math.inf if sign == "-" else math.inf
    if plain in (".nan", ".NaN", ".NAN"):
        return "nan"
    return plain


@settings(max_examples=3000)
@given(st.text(alphabet="0123456789_+-.xobeEinfINaNtrueTRUEFals~", min_size=1, max_size=7))
def test_a_plain_scalar_read_fast_is_what_the_core_schema_says(plain: str) -> None:
    text = f"openapi: 3.1.0\nvalue: {plain}\n"
    if not reads_plainly(text):
        return  # the careful loader reads it
    read = parse_document(retrieved(text)).value["value"]
    expected = core_schema(plain)
    if expected == "nan":
        assert isinstance(read, float) and math.isnan(read)
    else:
        assert read == expected and type(read) is type(expected), (plain, read)
