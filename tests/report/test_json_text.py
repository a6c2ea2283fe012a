import json
from enum import StrEnum

from hypothesis import given
from hypothesis import strategies as st

from interlock.report.json_text import dumps_indented

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
