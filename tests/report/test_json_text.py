import io
import json
from collections.abc import Iterator
from enum import StrEnum

from hypothesis import given
from hypothesis import strategies as st

from interlock.report.json_text import (
    SLOT,
    LaidOutItems,
    RecordLayout,
    Slot,
    dumps_indented,
    json_string,
    write_indented,
)

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**64)
    | st.floats()
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@given(_VALUES)
def test_text_is_the_standard_librarys_character_for_character(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


class _Colour(StrEnum):
    RED = "red"


def test_keys_and_values_json_converts_are_written_as_json_writes_them() -> None:
    value = {
        "nested": {1: "int key", None: "null key", 2.5: "float key"},
        "enum": _Colour.RED,
        "text": 'line\nbreak "quoted" é\u2028',
        "numbers": [float("nan"), float("inf"), -0.0, 10**30],
    }
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert '"text": "line\\nbreak \\"quoted\\" é' in dumps_indented(value)


_SHAPES = st.recursive(
    st.just(SLOT) | _SCALARS,
    lambda children: (
        st.lists(children, min_size=1, max_size=3)
        | st.dictionaries(st.text(max_size=8), children, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


def _filled(shape: object, values: Iterator[object]) -> object:
    """Return ``shape`` with each slot replaced by the next of ``values``."""
    if isinstance(shape, Slot):
        return next(values)
    if isinstance(shape, dict):
        return {key: _filled(item, values) for key, item in shape.items()}
    if isinstance(shape, list):
        return [_filled(item, values) for item in shape]
    return shape


@given(
    shape=st.dictionaries(st.text(max_size=8), _SHAPES, min_size=1, max_size=5),
    data=st.data(),
)
def test_records_laid_out_read_as_the_walk_writes_them(
    shape: dict[str, object], data: st.DataObject
) -> None:
    slots = RecordLayout(shape, 0).slots
    values = data.draw(st.lists(st.text() | st.integers(), min_size=slots, max_size=slots))
    texts = [json_string(value) if isinstance(value, str) else str(value) for value in values]
    filled = _filled(shape, iter(values))
    assert RecordLayout(shape, 0).text(*texts) == dumps_indented(filled)
    # As items of an array that is a field of the document: depth 2 in a list at depth 1.
    items = LaidOutItems(iter([RecordLayout(shape, 2).text(*texts)] * 2))
    assert dumps_indented({"x": items}) == dumps_indented({"x": [filled, filled]})


def test_no_items_laid_out_is_an_empty_array() -> None:
    assert dumps_indented({"x": LaidOutItems(iter(()))}) == dumps_indented({"x": []})


@given(_VALUES)
def test_writing_to_a_stream_writes_the_same_text(value: object) -> None:
    stream = io.StringIO()
    write_indented({"x": value, "y": LaidOutItems(iter(["1"] * 3000))}, stream)
    expected = dumps_indented({"x": value, "y": [1] * 3000})
    assert stream.getvalue() == expected
