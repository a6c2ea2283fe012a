"""The answers file format on its own: text in, text out, no disk and no lock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from interlock import safe_yaml
from interlock.errors import StoreError
from interlock.interview.answers import AnswerSheet
from interlock.interview.answers_file import parse_sheet, render_sheet
from interlock.safe_yaml import format_timestamp
from support.answered import sheet_of

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
PATH = Path("specs/payments/interview.yaml")


def _sheet(**values: Any) -> AnswerSheet:
    return sheet_of(AT, **values)


def test_a_rendered_sheet_parses_back_to_the_same_answers() -> None:
    sheet = _sheet(purpose="Card payments.\nRefunds stay manual.\n", systems=["Stripe"])
    text = render_sheet(sheet)
    assert "purpose:\n    value: |\n      Card payments.\n" in text
    assert parse_sheet(text.encode("utf-8"), PATH) == sheet


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 5, 1, 9, 30, tzinfo=UTC), "2024-05-01T09:30:00Z"),
        (
            datetime(2024, 5, 1, 11, 30, tzinfo=timezone(timedelta(hours=2))),
            "2024-05-01T09:30:00Z",
        ),
        (datetime(2024, 5, 1, 9, 30), "2024-05-01T09:30:00"),
    ],
    ids=["utc", "other-zone-converted", "naive-kept"],
)
def test_timestamps_are_written_in_utc(moment: datetime, expected: str) -> None:
    assert format_timestamp(moment) == expected


def test_text_the_emitter_would_alter_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the format's care, PyYAML writes U+0085 in a style that reads back as a space.
    monkeypatch.setattr(safe_yaml, "_FRAGILE_BREAKS", re.compile("(?!)"))
    with pytest.raises(StoreError, match="would not keep 'odd' exactly"):
        render_sheet(_sheet(odd="next\x85line"))


def test_a_value_yaml_cannot_hold_is_refused() -> None:
    with pytest.raises(StoreError, match="answer 'odd' holds a value of type set"):
        render_sheet(_sheet(odd={1, 2}))


_VALID = render_sheet(_sheet(first="one"))


@pytest.mark.parametrize(
    ("raw", "line", "message"),
    [
        (b"name: payments\n\xff\n", 2, "not UTF-8"),
        (b"name: [payments\n", 2, "invalid YAML"),
        (b"", 1, "found an empty file"),
        (_VALID.replace("depth:", "colour: red\ndepth:").encode(), 3, "unknown field 'colour'"),
        (
            _VALID.replace("by: alice", "by: 3").encode(),
            9,
            "answers.first.by: Input should be a valid string",
        ),
    ],
    ids=["not-utf8", "not-yaml", "empty", "unknown-field", "wrong-type"],
)
def test_a_file_that_does_not_load_names_its_line(raw: bytes, line: int, message: str) -> None:
    with pytest.raises(StoreError, match=re.escape(message)) as caught:
        parse_sheet(raw, PATH)
    assert (caught.value.path, caught.value.line) == (PATH, line)
