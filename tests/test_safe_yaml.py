import re
from datetime import UTC, date, datetime

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from interlock import safe_yaml
from interlock.errors import YamlError
from interlock.safe_yaml import load_yaml


def test_records_the_line_of_every_key_and_item() -> None:
    loaded = load_yaml("a: 1\nb:\n  - x\n  - y\nc: {d: 2}\n")
    assert loaded.value == {"a": 1, "b": ["x", "y"], "c": {"d": 2}}
    assert loaded.lines[("b",)] == 2
    assert loaded.lines[("b", 1)] == 4
    assert loaded.line_of(("c", "d", "missing")) == 5


def test_line_offset_shifts_every_line() -> None:
    loaded = load_yaml("a: 1\nb: 2\n", line_offset=10)
    assert loaded.lines[("b",)] == 12


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first defined on line 1)"),
        ("a: &x [1]\nb: *x\n", 2, "aliases"),
        ("a: {b\n", 2, "invalid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "single document"),
        ("a:\n\t- b\n", 2, "invalid YAML"),
    ],
    ids=["duplicate-key", "alias", "unclosed-flow", "two-documents", "tab-indent"],
)
def test_refusals_name_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml(text, path="conf.yaml")
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"conf.yaml:{line}")


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for index in range(1, 9):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        bomb += f"{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
    with pytest.raises(YamlError, match="aliases"):
        load_yaml(bomb)


@pytest.mark.parametrize(
    "opener", ["[", "{a: ", "- ", "? "], ids=["flow-list", "flow-map", "block", "key"]
)
def test_deep_nesting_is_refused_without_crashing(opener: str) -> None:
    with pytest.raises(YamlError, match="nested deeper than"):
        load_yaml(opener * 100_000)


@pytest.mark.parametrize(
    "loader",
    [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)],
    ids=["no-depth-limit", "libyaml"],
)
@pytest.mark.parametrize("opener", ["[", "{a: "], ids=["flow-list", "flow-map"])
def test_deep_nesting_is_reported_at_the_bracket_one_level_too_deep(
    monkeypatch: pytest.MonkeyPatch, loader: type[yaml.SafeLoader], opener: str
) -> None:
    # PyYAML 6.0.4's libyaml refuses nesting past 1,000 levels with its own message,
    # while scanning ahead; earlier releases (and the pure-Python loader) never do.
    # Either way the error is Interlock's, at the 65th opening bracket.
    monkeypatch.setattr(safe_yaml, "_Loader", loader)
    with pytest.raises(YamlError, match="nested deeper than 64 levels") as caught:
        load_yaml("deep: " + opener * 5_000, path="conf.yaml", line_offset=2)
    assert caught.value.line == 3
    # The mapping holding "deep" is the first level, so the 64th bracket is the 65th.
    assert caught.value.column == len("deep: ") + 63 * len(opener) + 1


def test_empty_document_is_none() -> None:
    assert load_yaml("").value is None
    assert load_yaml("# only a comment\n").value is None


def test_unhashable_key_is_a_yaml_error() -> None:
    with pytest.raises(YamlError, match="unhashable"):
        load_yaml("effort: { { hours } }\n")


def test_deep_indented_block_nesting_is_refused() -> None:
    nested = "\n".join(" " * depth + "- a:" for depth in range(0, 4000, 2))
    with pytest.raises(YamlError, match="nested deeper than"):
        load_yaml(nested)


_TYPED = """\
count: 3
ratio: 0.5
big: 12345678901234567890
yes_no: true
nothing: null
tilde: ~
day: 2024-08-27
moment: 2024-08-27T10:30:00Z
octal: 0o17
hex: 0x1F
quoted: '42'
raw: !!binary aGVsbG8=
set: !!set {a, b}
ordered: !!omap [{a: 1}, {b: 2}]
listed: !!str 12
1: int key
2024-01-01: date key
base: {a: 1}
merged: {<<: {a: 1, b: 2}, b: 3}
nested: [[1, two], {three: [4.5, null]}]
"""


def test_values_are_the_ones_the_safe_loader_builds() -> None:
    loaded = load_yaml(_TYPED)
    assert loaded.value == yaml.safe_load(_TYPED)
    assert loaded.value["merged"] == {"a": 1, "b": 3}
    assert loaded.lines[("nested", 1)] == 20


_KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
    | st.dates()
)
_DATA = st.recursive(
    _LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=20,
)


@given(_DATA, st.booleans())
def test_any_document_loads_as_the_safe_loader_loads_it(data: object, flow: bool) -> None:
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    assert load_yaml(text).value == yaml.safe_load(text)


@pytest.mark.parametrize("text", ["=: 1\n", "x: [{=: 1}]\n", "!!map {=: 1}\n", "!!value x: 1\n"])
def test_an_equals_sign_key_loads_as_the_safe_loader_loads_it(text: str) -> None:
    # PyYAML tags a bare "=" as a "value" and makes it a string only as a mapping key.
    assert load_yaml(text).value == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 2024-13-45\na: 1\n", 2, "duplicate key 'a'"),
        ("a: !foo x\nb: [1, 2]\nb: 3\n", 3, "duplicate key 'b'"),
        ("a: [1, 2024-99-01]\nb: {c: 1, c: 2}\n", 2, "duplicate key 'c'"),
        ("a: !!set []\ntrue: !!int x\n", 2, "invalid YAML value 'x'"),
    ],
    ids=[
        "bad-date-then-duplicate",
        "unknown-tag-then-duplicate",
        "nested-bad-date-then-duplicate",
        "two-bad-values",
    ],
)
def test_a_structural_problem_is_reported_before_a_value_that_does_not_build(
    text: str, line: int, words: str
) -> None:
    with pytest.raises(YamlError, match=re.escape(words)) as caught:
        load_yaml(text)
    assert caught.value.line == line


# -- writing ------------------------------------------------------------------------------


def test_dumped_yaml_loads_back_to_the_same_data_in_the_same_key_order() -> None:
    day = date(2024, 5, 1)
    data = {
        "zeta": "first key",
        "notes": "Line one.\nLine two.\n",
        "odd": "next\x85line",
        "when": datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
        "created": day,
        "updated": day,
        "items": ["a", "b"],
    }
    text = safe_yaml.dump_yaml(data)
    assert list(load_yaml(text).value) == list(data)
    assert load_yaml(text).value == data
    assert "notes: |\n  Line one.\n" in text
    assert 'odd: "next\\Nline"' in text
    assert "when: 2024-05-01T09:30:00Z\n" in text
    assert "&" not in text and "*" not in text  # the one date object is written twice
    assert "items:\n  - a\n  - b\n" in text


def test_front_matter_style_writes_lists_of_scalars_inline_and_never_wraps() -> None:
    long = "word " * 40
    text = safe_yaml.dump_yaml(
        {"tags": ["integration", "stripe"], "title": long.strip()}, inline_lists=True
    )
    assert text.startswith("tags: [integration, stripe]\n")
    assert text.count("\n") == 2
