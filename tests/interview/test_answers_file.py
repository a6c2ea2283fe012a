"""The answers file format on its own: text in, text out, no disk and no lock.

The seal tests cut, edit and convert a written file and check what reading it says;
the store tests check the same through the disk, with every cut of a realistic file.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock import safe_yaml
from interlock.errors import StoreError
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.answers_file import (
    SEAL_HEADER,
    parse_sheet,
    parse_sheet_allowing_edits,
    render_sheet,
)
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
        (b"", 1, "looks cut short: it is empty"),
        (_VALID.replace("depth:", "colour: red\ndepth:").encode(), 4, "unknown field 'colour'"),
        (
            _VALID.replace("by: alice", "by: 3").encode(),
            10,
            "answers.first.by: Input should be a valid string",
        ),
    ],
    ids=["not-utf8", "not-yaml", "empty", "unknown-field", "wrong-type"],
)
def test_a_file_that_does_not_load_names_its_line(raw: bytes, line: int, message: str) -> None:
    with pytest.raises(StoreError, match=re.escape(message)) as caught:
        parse_sheet(raw, PATH)
    assert (caught.value.path, caught.value.line) == (PATH, line)


# --- the seal: a cut, an edit, a converted checkout ---------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_a_written_file_opens_with_the_header_and_ends_with_its_digest() -> None:
    lines = _lines(_VALID)
    assert lines[0] == SEAL_HEADER + "\n"
    assert re.fullmatch(r"# interlock: end sha256=[0-9a-f]{64}\n", lines[-1])
    assert "".join(lines[1:-1]).startswith("name: payments\n")


def _assert_cut_short(raw: bytes) -> None:
    with pytest.raises(StoreError) as caught:
        parse_sheet(raw, PATH)
    assert caught.value.path == PATH
    assert caught.value.message.startswith("the answers file looks cut short: "), raw


def _assert_refused_when_cut(text: str) -> None:
    raw = text.encode("utf-8")
    for cut in range(len(raw)):
        _assert_cut_short(raw[:cut])


_LINE_TEXT = st.text(st.characters(exclude_categories=["Cs"]))
_ANSWER = st.one_of(
    _LINE_TEXT,
    st.lists(_LINE_TEXT, max_size=3),
    st.lists(st.fixed_dictionaries({"name": _LINE_TEXT, "kind": _LINE_TEXT}), max_size=2),
    st.integers(),
    st.none(),
)


@settings(deadline=None, max_examples=60)
@given(
    answers=st.dictionaries(
        st.text(min_size=1, max_size=20),
        st.tuples(_ANSWER, st.booleans(), _LINE_TEXT),
        max_size=4,
    )
)
def test_any_written_answers_read_back_and_every_cut_is_refused(
    answers: dict[str, tuple[Any, bool, str]],
) -> None:
    sheet = _sheet()
    for key, (value, skipped, reason) in answers.items():
        answer = Answer(value=None if skipped else value, skipped=skipped, reason=reason, at=AT)
        sheet = sheet.with_answer(key, answer)
    text = render_sheet(sheet)
    assert parse_sheet(text.encode("utf-8"), PATH) == sheet
    _assert_refused_when_cut(text)


def test_a_checkout_with_windows_line_breaks_or_a_byte_order_mark_still_matches() -> None:
    text = render_sheet(_sheet(purpose="line one\nline two\n", crlf="a\r\nb"))
    converted = text.replace("\n", "\r\n")
    assert parse_sheet(converted.encode("utf-8"), PATH) == parse_sheet(text.encode(), PATH)
    assert parse_sheet(b"\xef\xbb\xbf" + text.encode("utf-8"), PATH).answers["crlf"].value == (
        "a\r\nb"
    )
    _assert_refused_when_cut(converted)


def _edited(text: str = _VALID) -> str:
    return text.replace("value: one", "value: changed by hand")


def test_a_hand_edit_is_refused_naming_the_end_line_and_how_to_accept_it() -> None:
    edited = _edited()
    end_line = len(_lines(edited))
    with pytest.raises(StoreError) as caught:
        parse_sheet(edited.encode(), PATH)
    error = caught.value
    assert (error.path, error.line) == (PATH, end_line)
    assert "changed after Interlock wrote it" in error.message
    assert f"delete 'sha256=...' from line {end_line}" in error.hint
    sheet, refusal = parse_sheet_allowing_edits(edited.encode(), PATH)
    assert sheet.answers["first"].value == "changed by hand"
    assert refusal is not None and refusal.message == error.message


def test_an_accepted_hand_edit_loads_as_it_is() -> None:
    accepted = re.sub(r" sha256=[0-9a-f]+", "", _edited())
    assert accepted.endswith("\n# interlock: end\n")
    assert parse_sheet(accepted.encode(), PATH).answers["first"].value == "changed by hand"


def _move_end_line_before_answers(text: str) -> str:
    *lines, end = _lines(text)
    return "".join(lines).replace("answers:\n", end + "answers:\n")


EDITS = {
    "end-line-deleted": (lambda text: "".join(_lines(text)[:-1]), "looks cut short", 11),
    "line-break-after-it-deleted": (lambda text: text[:-1], "looks cut short", 12),
    "answer-added-after-it": (
        lambda text: text + "  second:\n    value: two\n",
        "changed after Interlock wrote it",
        12,
    ),
    "header-deleted": (
        lambda text: "".join(_lines(text)[1:]),
        "changed after Interlock wrote it",
        11,
    ),
    "digest-altered": (lambda text: text[:-3] + "00\n", "changed after Interlock wrote it", 12),
    "end-moved-to-the-middle": (
        _move_end_line_before_answers,
        "changed after Interlock wrote it",
        7,
    ),
}


@pytest.mark.parametrize(("edit", "words", "line"), EDITS.values(), ids=list(EDITS))
def test_a_sealed_file_changed_at_its_ends_is_refused_with_its_line(
    edit: Any, words: str, line: int
) -> None:
    assert len(_lines(_VALID)) == 12
    with pytest.raises(StoreError, match=re.escape(words)) as caught:
        parse_sheet(edit(_VALID).encode(), PATH)
    assert (caught.value.path, caught.value.line) == (PATH, line)


def test_an_unsealed_file_with_a_trailing_comment_reads_as_before() -> None:
    unsealed = "".join(_lines(_VALID)[1:-1]) + "# reviewed by bob\n"
    assert parse_sheet(unsealed.encode(), PATH) == _sheet(first="one")
