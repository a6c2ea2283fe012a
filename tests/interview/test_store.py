"""The answer store: the interview.yaml format, atomic writes, the lock, corrupt files."""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from getpass import getuser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock import safe_yaml
from interlock.errors import StoreError
from interlock.folders.integration import IntegrationFolder
from interlock.interview import store as store_module
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.store import AnswerStore, check_integration_name
from support.answered import sheet_of

FIXTURES = Path(__file__).parent / "store_fixtures"
AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def _sheet(**values: Any) -> AnswerSheet:
    return sheet_of(AT, **values)


def _example_sheet() -> AnswerSheet:
    sheet = _sheet()
    answers = {
        "overview.purpose": Answer(
            value="Take card payments through Stripe.\nRefunds stay manual for now.\n",
            by="alice",
            at=AT,
        ),
        "systems.names": Answer(value=["Stripe", "Ledger DB"], by="alice", at=AT),
        "stripe.timeouts": Answer(
            value={"connect_ms": 500, "retry": True, "backoff": 1.5, "queue": None},
            by="alice",
            at=AT,
        ),
        "sla.target": Answer(
            skipped=True, reason="ops has not decided", owner="bob", by="alice", at=AT
        ),
        "team.note": Answer(value="Équipe paiements 🚀 — צוות", by="chloé", at=AT),
    }
    for key, answer in answers.items():
        sheet = sheet.with_answer(key, answer)
    return sheet


def _leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".tmp"))


# --- the format ---------------------------------------------------------------------


def test_save_writes_block_yaml_in_the_documented_order(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_example_sheet())
    expected = (FIXTURES / "payments.yaml").read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected


def test_the_user_documentation_shows_the_real_format() -> None:
    docs = Path(__file__).parents[2] / "docs" / "answers-file.md"
    example = re.search(r"```yaml\n(.*?)```", docs.read_text(encoding="utf-8"), re.DOTALL)
    assert example is not None
    assert example[1] == (FIXTURES / "payments.yaml").read_text(encoding="utf-8")


def test_load_reads_the_documented_example(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    path.write_bytes((FIXTURES / "payments.yaml").read_bytes())
    assert AnswerStore(path).load() == _example_sheet()


def test_a_file_written_before_the_seal_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    path.write_bytes((FIXTURES / "payments-format1.yaml").read_bytes())
    store = AnswerStore(path)
    sheet = store.load()
    assert sheet == _example_sheet()
    store.save(sheet)
    assert path.read_bytes() == (FIXTURES / "payments.yaml").read_bytes()


def test_answers_keep_the_order_they_were_first_given(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    sheet = _sheet(zeta="first", alpha="second", mid="third")
    sheet = sheet.with_answer("zeta", Answer(value="changed", by="bob", at=AT))
    store.save(sheet)
    assert list(store.load().answers) == ["zeta", "alpha", "mid"]
    assert store.load().answers["zeta"].value == "changed"


def test_timestamps_are_written_in_utc_and_naive_ones_read_as_utc(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    naive = datetime(2024, 5, 1, 9, 30)
    sheet = AnswerSheet(name="payments", created=naive, updated=AT.astimezone())
    AnswerStore(path).save(sheet)
    text = path.read_text(encoding="utf-8")
    assert "created: 2024-05-01T09:30:00Z\n" in text
    assert "updated: 2024-05-01T09:30:00Z\n" in text
    loaded = AnswerStore(path).load()
    assert loaded.created == AT
    assert loaded.created.utcoffset() is not None


HOSTILE = {
    "template-code": "{{ x }} {% if y %}{{ y|safe }}{% endif %}",
    "markdown": "# heading\n\n- item\n> quote\n",
    "document-markers": "---\n...\n--- x",
    "block-indicators": "|",
    "folded-indicator": "> folded",
    "html": "<script>alert('x')</script>",
    "yaml-mapping": "key: value",
    "anchor": "&anchor",
    "alias": "*alias",
    "python-tag": "!!python/object/apply:os.system ['rm -rf /']",
    "merge-key": "<<",
    "null-word": "null",
    "yes-word": "yes",
    "tilde": "~",
    "number-like": "0x1F",
    "date-like": "2024-05-01",
    "comment-like": "# not a comment",
    "directive-like": "%YAML 1.1",
    "quotes": "'single' \"double\" \\backslash",
    "padded": "  leading and trailing  ",
    "leading-newline": "\nstarts with a newline",
    "only-newlines": "\n\n",
    "trailing-spaces-in-lines": "line one  \nline two\n",
    "tabs": "\tindented\twith tabs\n\tand a second line",
    "crlf": "windows\r\nline endings\r\n",
    "lone-cr": "old mac\rline",
    "control-characters": "nul\x00bell\x07escape\x1b delete\x7f",
    "unicode-line-breaks": "next line\x85line separator\u2028paragraph\u2029",
    "byte-order-mark": "\ufeffbom",
    "emoji-and-rtl": "🚀 שלום עולם مرحبا 👩🏽‍💻",
    "very-long": "word " * 20_000,
    "empty": "",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_round_trips_exactly(tmp_path: Path, text: str) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    answer = Answer(value=text, reason=text, owner=text, by=text, at=AT)
    sheet = _sheet(listed=[text, text], nested={text: {"inner": text}})
    sheet = sheet.with_answer(text, answer).with_answer("plain", answer)
    store.save(sheet)
    assert AnswerStore(store.path).load() == sheet


def test_multi_line_text_is_a_literal_block_and_unicode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(purpose="Stripe 🚀\nשלום\n"))
    assert "    value: |\n      Stripe 🚀\n      שלום\n" in path.read_text(encoding="utf-8")


_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(list(HOSTILE.values())[:-2]), st.text(max_size=4))).map(
        "".join
    ),
)
_SCALAR = st.one_of(_TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=10,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.dictionaries(_TEXT, st.tuples(_VALUE, _TEXT, _TEXT), max_size=4))
def test_any_answers_round_trip_exactly(tmp_path: Path, answers: dict[str, Any]) -> None:
    sheet = _sheet()
    for key, (value, reason, by) in answers.items():
        sheet = sheet.with_answer(key, Answer(value=value, reason=reason, by=by, at=AT))
    AnswerStore(tmp_path / "interview.yaml").save(sheet)
    loaded = AnswerStore(tmp_path / "interview.yaml").load()
    assert loaded == sheet
    assert list(loaded.answers) == list(sheet.answers)


def test_not_a_number_round_trips(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    store.save(_sheet(ratio=float("nan"), limit=float("inf")))
    loaded = store.load()
    assert loaded.answers["ratio"].value != loaded.answers["ratio"].value
    assert loaded.answers["limit"].value == float("inf")


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("bytes \udc80 decoded badly", "not valid Unicode (U+DC80"),
        (object(), "a value of type object"),
        ({1, 2}, "a value of type set"),
        (b"raw", "a value of type bytes"),
        ({("a", "b"): 1}, "a mapping key of type tuple"),
    ],
    ids=["lone-surrogate", "object", "set", "bytes", "tuple-key"],
)
def test_a_value_yaml_cannot_hold_is_refused_and_nothing_is_written(
    tmp_path: Path, value: Any, what: str
) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    store.save(_sheet(first="kept"))
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match=re.escape(what)) as caught:
        store.save(_sheet(first="kept", odd=value))
    assert "answer 'odd'" in caught.value.message
    assert store.path.read_bytes() == before


def test_text_the_emitter_would_alter_is_refused_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    store.save(_sheet(first="kept"))
    before = store.path.read_bytes()
    # Without the store's care, PyYAML writes U+0085 in a style that reads back as a space.
    monkeypatch.setattr(safe_yaml, "_FRAGILE_BREAKS", re.compile("(?!)"))
    with pytest.raises(StoreError, match="would not keep 'odd' exactly"):
        store.save(_sheet(first="kept", odd="next\x85line"))
    assert store.path.read_bytes() == before


# --- atomic writes ------------------------------------------------------------------


def _run_writer(path: Path, *crash: str, kill_after: float | None = None) -> list[int]:
    """Run save_loop.py until it dies (or is killed); return the counts it printed."""
    writer = subprocess.Popen(
        [sys.executable, str(FIXTURES / "save_loop.py"), str(path), *crash],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    first = writer.stdout.readline()
    if kill_after is not None:
        time.sleep(kill_after)
        writer.send_signal(signal.SIGKILL)
    rest, errors = writer.communicate(timeout=60)
    assert writer.returncode == -signal.SIGKILL, errors
    assert first.strip().isdigit(), errors
    return [int(line) for line in (first + rest).split("\n")[:-1]]


def _assert_whole(path: Path, at_least: int, where: str) -> AnswerSheet:
    sheet = AnswerStore(path).load()
    assert len(sheet.answers) >= at_least, where
    assert list(sheet.answers) == [f"q{n}" for n in range(1, len(sheet.answers) + 1)], where
    for number, answer in enumerate(sheet.answers.values(), start=1):
        assert answer.value.startswith(f"answer {number}\n"), where
        assert answer.value.endswith(" padding\n"), where
    return sheet


def test_a_kill_at_any_moment_keeps_the_last_saved_answers(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    for round_number in range(8):
        printed = _run_writer(path, kill_after=chance.uniform(0, 0.2))
        sheet = _assert_whole(path, printed[-1], f"seed {seed}, round {round_number}")
    AnswerStore(path).save(sheet)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("crash", "kept", "temp_left"),
    [
        (("fsync", "1"), 3, True),
        (("replace", "2"), 3, True),  # the first replace publishes the lock note
        (("fsync", "2"), 4, False),
    ],
    ids=["before-syncing-the-new-file", "before-the-rename", "before-syncing-the-folder"],
)
def test_a_crash_inside_a_write_keeps_the_old_or_the_new_answers(
    tmp_path: Path, crash: tuple[str, str], kept: int, temp_left: bool
) -> None:
    path = tmp_path / "interview.yaml"
    assert _run_writer(path, *crash) == [1, 2, 3]
    sheet = _assert_whole(path, kept, f"crash before os.{crash[0]} call {crash[1]}")
    assert len(sheet.answers) == kept
    assert bool(_leftovers(tmp_path)) == temp_left
    AnswerStore(path).save(sheet)
    assert _leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    store.save(_sheet(first="kept"))
    before = store.path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StoreError, match="cannot write the answers file: No space left"):
        store.save(_sheet(first="kept", second="lost only in memory"))
    assert store.path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_save_keeps_the_file_mode_a_user_chose(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    store.save(_sheet(first="one"))
    store.path.chmod(0o640)
    store.save(_sheet(first="one", second="two"))
    assert store.path.stat().st_mode & 0o777 == 0o640


# --- the lock -----------------------------------------------------------------------


@contextmanager
def _holder(path: Path, how: str) -> Iterator[subprocess.Popen[str]]:
    """Run a process that holds the lock of ``path`` until its stdin closes."""
    process = subprocess.Popen(
        [sys.executable, str(FIXTURES / "hold_lock.py"), str(path), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line == "locked\n", process.communicate()[1]
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_second_process_waits_then_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    with _holder(path, "session") as holder:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            AnswerStore(path, lock_timeout=0.5).save(_sheet(first="one"))
        waited = time.monotonic() - started
    message = caught.value.message
    assert waited >= 0.5
    assert f"pid {holder.pid}, user {getuser()} on host {socket.gethostname()}" in message
    assert re.search(r"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", message)
    assert "waited 0.5 s" in caught.value.hint
    assert not path.exists()


def test_a_waiting_process_gets_the_lock_when_the_holder_finishes(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    with _holder(path, "session") as holder:
        assert holder.stdin is not None
        threading.Timer(0.3, holder.stdin.close).start()
        AnswerStore(path, lock_timeout=10).save(_sheet(first="one"))
    assert AnswerStore(path).load() == _sheet(first="one")


def test_a_killed_holder_does_not_block_and_its_note_is_cleared(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    store = AnswerStore(path, lock_timeout=0.5)
    with _holder(path, "session") as holder:
        holder.kill()
        holder.wait()
    assert store.lock_info_path.exists()
    store.save(_sheet(first="one"))
    assert store.load() == _sheet(first="one")
    assert not store.lock_info_path.exists()


def test_the_note_of_a_dead_holder_is_not_shown_as_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    with _holder(path, "session") as dead:
        dead.kill()
        dead.wait()
    with _holder(path, "bare"), pytest.raises(StoreError) as caught:
        AnswerStore(path, lock_timeout=0.2).save(_sheet(first="one"))
    message = caught.value.message
    assert f"the note left by pid {dead.pid} is stale" in message
    assert "since" not in message


def test_a_session_holds_the_lock_between_calls(tmp_path: Path) -> None:
    path = tmp_path / "specs" / "payments" / "interview.yaml"
    store = AnswerStore(path)
    other = AnswerStore(path, lock_timeout=0.1)
    with store.session():
        store.save(_sheet(first="one"))
        assert store.load() == _sheet(first="one")
        store.save(_sheet(first="one", second="two"))
        with pytest.raises(StoreError, match="in use by this process"):
            other.load()
    assert other.load() == _sheet(first="one", second="two")
    assert not store.lock_info_path.exists()


class _ReadOnlyLock:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path

    def acquire(self) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self.path))


def test_a_read_only_checkout_can_be_loaded_but_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(first="one"))
    monkeypatch.setattr(store_module, "FileLock", _ReadOnlyLock)
    store = AnswerStore(path)
    assert store.load() == _sheet(first="one")
    with pytest.raises(StoreError, match="cannot lock the answers file: Permission denied"):
        store.save(_sheet(first="two"))


# --- missing and corrupt files -------------------------------------------------------


def test_a_missing_file_is_reported_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "specs" / "payments" / "interview.yaml"
    store = AnswerStore(path)
    assert not store.exists()
    with pytest.raises(StoreError, match="no answers file yet") as caught:
        store.load()
    assert caught.value.path == path
    assert not path.parent.exists()


_VALID = b"name: payments\nanswers:\n  q1:\n    value: one\n    by: alice\n"
CORRUPT = {
    "bad-yaml": (b"name: payments\nanswers: {q1: [\n", 3, "invalid YAML"),
    "not-a-mapping": (b"- name\n- payments\n", 1, "found list"),
    "empty": (b"", 1, "looks cut short: it is empty"),
    "only-a-comment": (b"# notes\n", 1, "found an empty file"),
    "unknown-field": (b"name: payments\ncolour: red\n", 2, "unknown field 'colour'"),
    "unknown-answer-field": (_VALID + b"    note: x\n", 6, "unknown field 'answers.q1.note'"),
    "bad-bool": (_VALID + b"    skipped: maybe\n", 6, "answers.q1.skipped: Input should be"),
    "answers-not-a-mapping": (b"name: p\nanswers:\n  - q1\n", 2, "answers: Input should be"),
    "number-key": (
        b"name: p\nanswers:\n  1:\n    value: x\n",
        3,
        "answers.1: this key must be text",
    ),
    "quoted-timestamp": (b'name: p\ncreated: "2024-05-01T09:30:00Z"\n', 2, "created: Input"),
    "number-timestamp": (b"name: p\ncreated: 5\n", 2, "created: Input should be"),
    "missing-name": (b"template: integration\n", 1, "missing field 'name'"),
    "duplicate-key": (_VALID + b"  q1:\n    value: two\n", 6, "duplicate key 'q1'"),
    "alias": (b"name: &n p\ntemplate: *n\n", 2, "aliases"),
    "python-tag": (b"name: !!python/name:os.system p\n", 1, "invalid YAML"),
    "binary-value": (b"name: p\nanswers:\n  q1:\n    value: !!binary aGk=\n", 4, "bytes"),
    "not-utf8": (b"name: p\nanswers:\n  q1:\n    value: \xff\n", 4, "not UTF-8"),
}


@pytest.mark.parametrize(("content", "line", "message"), CORRUPT.values(), ids=list(CORRUPT))
def test_a_corrupt_file_is_reported_with_its_line(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    path = tmp_path / "interview.yaml"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        AnswerStore(path).load()
    assert (caught.value.path, caught.value.line) == (path, line)
    assert message in caught.value.message


@pytest.mark.parametrize(("content", "line", "message"), CORRUPT.values(), ids=list(CORRUPT))
def test_a_corrupt_file_is_only_replaced_by_force_and_kept(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    path = tmp_path / "interview.yaml"
    path.write_bytes(content)
    store = AnswerStore(path)
    with pytest.raises(StoreError, match="refusing to overwrite") as caught:
        store.save(_sheet(first="one"))
    assert caught.value.line == line
    assert path.read_bytes() == content

    store.save(_sheet(first="one"), force=True)
    [kept] = tmp_path.glob("interview.yaml.corrupt-*")
    assert re.fullmatch(r"interview\.yaml\.corrupt-\d{8}T\d{6}Z", kept.name)
    assert kept.read_bytes() == content
    assert store.load() == _sheet(first="one")


def _realistic_sheet() -> AnswerSheet:
    """The documented example plus entity lists and per-system answers: about 1.5 KB."""
    sheet = _example_sheet()
    systems = [
        {"name": "Stripe", "kind": "external-api", "owner": "payments team"},
        {"name": "Ledger DB", "kind": "database", "owner": "finance"},
    ]
    answers = {
        "systems": Answer(value=systems, by="alice", at=AT),
        "external.auth@stripe": Answer(value="oauth2", by="openapi:stripe.yaml", at=AT),
        "external.failure@stripe": Answer(value=["retry", "fail-fast"], by="bob", at=AT),
        "external.sandbox@stripe": Answer(
            skipped=True, reason="waiting for keys", owner="dana", by="bob", at=AT
        ),
        "data.notes@ledger-db": Answer(
            value="Amounts are minor units.\n\n  Indented: 'quoted' & #hash\n", by="bob", at=AT
        ),
    }
    for key, answer in answers.items():
        sheet = sheet.with_answer(key, answer)
    return sheet


def test_every_cut_of_a_written_file_is_refused_and_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_realistic_sheet())
    whole = path.read_bytes()
    assert 1000 < len(whole) < 4000
    silent = []
    for cut in range(len(whole)):
        path.write_bytes(whole[:cut])
        try:
            AnswerStore(path).load()
        except StoreError as error:
            assert error.path == path
            assert error.message.startswith("the answers file looks cut short: "), cut
        else:
            silent.append(cut)
    assert silent == []
    with pytest.raises(StoreError, match="does not load: the answers file looks cut short"):
        AnswerStore(path).save(_realistic_sheet())
    assert path.read_bytes() == whole[:-1]
    path.write_bytes(whole)
    assert AnswerStore(path).load() == _realistic_sheet()


def test_a_file_cut_short_after_loading_is_not_saved_over(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    store = AnswerStore(path)
    store.save(_realistic_sheet())
    sheet = store.load()
    whole = path.read_bytes()
    path.write_bytes(whole[: whole.index(b"  external.auth@stripe:")])
    with pytest.raises(StoreError, match="refusing to overwrite") as caught:
        store.save(sheet.with_answer("late", Answer(value="one more", at=AT)))
    assert "looks cut short" in caught.value.message
    store.save(sheet, force=True)
    [kept] = tmp_path.glob("interview.yaml.corrupt-*")
    assert whole.startswith(kept.read_bytes())
    assert store.load() == sheet


def _edit_by_hand(path: Path) -> bytes:
    edited = path.read_bytes().replace(b"value: oauth2", b"value: mtls")
    path.write_bytes(edited)
    return edited


def test_a_hand_edit_is_refused_until_accepted_and_never_lost(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_realistic_sheet())
    edited = _edit_by_hand(path)
    end_line = edited.count(b"\n")
    with pytest.raises(StoreError, match="changed after Interlock wrote it") as caught:
        AnswerStore(path).load()
    assert (caught.value.path, caught.value.line) == (path, end_line)
    assert f"delete 'sha256=...' from line {end_line}" in caught.value.hint
    with pytest.raises(StoreError, match="edited since Interlock wrote it") as caught:
        AnswerStore(path).save(_realistic_sheet())
    assert caught.value.line == end_line
    assert path.read_bytes() == edited

    accepted = re.sub(rb" sha256=[0-9a-f]+\n\Z", b"\n", edited)
    path.write_bytes(accepted)
    store = AnswerStore(path)
    sheet = store.load()
    assert sheet.answers["external.auth@stripe"].value == "mtls"
    store.save(sheet)
    assert path.read_bytes().endswith(b"\n")
    assert re.search(rb"\n# interlock: end sha256=[0-9a-f]{64}\n\Z", path.read_bytes())
    assert AnswerStore(path).load() == sheet


def test_a_hand_edit_is_written_over_only_by_force_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_realistic_sheet())
    edited = _edit_by_hand(path)
    AnswerStore(path).save(_realistic_sheet(), force=True)
    [kept] = tmp_path.glob("interview.yaml.replaced-*")
    assert kept.read_bytes() == edited
    assert AnswerStore(path).load() == _realistic_sheet()


def test_a_file_changed_since_it_was_loaded_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    store = AnswerStore(path)
    store.save(_sheet(first="one"))
    sheet = store.load()
    edited = path.read_bytes().replace(b"value: one", b"value: edited by hand")
    path.write_bytes(edited)
    with pytest.raises(StoreError, match="changed on disk since it was loaded"):
        store.save(sheet.with_answer("second", Answer(value="two")))
    assert path.read_bytes() == edited

    store.save(sheet, force=True)
    [kept] = tmp_path.glob("interview.yaml.replaced-*")
    assert kept.read_bytes() == edited


def test_the_store_never_prints(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    store = AnswerStore(tmp_path / "interview.yaml")
    store.save(_sheet(first="one"))
    store.load()
    store.path.write_bytes(b"[")
    with pytest.raises(StoreError):
        store.save(_sheet())
    assert capfd.readouterr() == ("", "")


# --- names and paths ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["payments", "stripe-webhooks", "v2", "a" * 64])
def test_a_slug_names_an_interview_folder(tmp_path: Path, name: str) -> None:
    folder = IntegrationFolder(tmp_path, name)
    assert folder.store.path == tmp_path / "specs" / name / "interview.yaml"


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        ("", "is empty", ""),
        ("..", "may not contain slashes or '..'", ""),
        ("../etc", "may not contain slashes or '..'", "'etc'"),
        ("a/b", "may not contain slashes or '..'", "'a-b'"),
        ("a\\b", "may not contain slashes or '..'", "'a-b'"),
        ("Payments", "is not a slug", "'payments'"),
        ("my payments", "is not a slug", "'my-payments'"),
        ("-payments", "is not a slug", "'payments'"),
        ("a--b", "is not a slug", "'a-b'"),
        ("a" * 65, "is not a slug", "at most 64"),
    ],
    ids=[
        "empty",
        "dot-dot",
        "parent",
        "slash",
        "backslash",
        "upper",
        "space",
        "dash",
        "double-dash",
        "too-long",
    ],
)
def test_a_name_that_is_not_a_slug_is_refused(name: str, message: str, hint: str) -> None:
    with pytest.raises(StoreError, match=re.escape(message)) as caught:
        check_integration_name(name)
    assert hint in caught.value.hint


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("café", "cafe"),
        ("Zürich", "zurich"),
        ("Zürich Payments", "zurich-payments"),
        ("Straße", "strasse"),
        ("Ｐａｙｍｅｎｔｓ", "payments"),
        ("crème brûlée", "creme-brulee"),
    ],
    ids=["cafe", "zurich", "two-words", "sharp-s", "full-width", "accents"],
)
def test_an_accented_name_is_offered_its_ascii_spelling(name: str, suggested: str) -> None:
    with pytest.raises(StoreError) as caught:
        check_integration_name(name)
    assert caught.value.hint.endswith(f", e.g. {suggested!r}")
    assert check_integration_name(suggested) == suggested


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("日本", "'日本' has no ASCII spelling"),
        ("日本-payments", "'日本' has no ASCII spelling"),
        ("Платежи", "has no ASCII spelling"),
        ("!!!", "'!!!' has no letters or digits"),
    ],
    ids=["japanese", "partly-japanese", "cyrillic", "punctuation"],
)
def test_a_name_with_no_ascii_spelling_gets_no_cut_down_suggestion(name: str, why: str) -> None:
    with pytest.raises(StoreError) as caught:
        check_integration_name(name)
    assert why in caught.value.hint
    assert "e.g." not in caught.value.hint


_SUGGESTED = re.compile(r", e\.g\. '([^']*)'\Z")


@settings(deadline=None)
@given(name=st.text(max_size=80))
def test_a_suggested_name_is_always_accepted(name: str) -> None:
    try:
        check_integration_name(name)
    except StoreError as error:
        found = _SUGGESTED.search(error.hint)
        if found is not None:
            assert check_integration_name(found[1]) == found[1]
            assert found[1] != name


# --- reading where the lock cannot be taken ----------------------------------------------


class _RefusedLock:
    """A lock the file system refuses, as a read-only checkout does."""

    error = OSError(errno.EROFS, "Read-only file system")

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path

    def acquire(self) -> None:
        raise type(self.error)(self.error.errno, self.error.strerror, str(self.path))


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(errno.EACCES, "Permission denied"),
        PermissionError(errno.EPERM, "Operation not permitted"),
        OSError(errno.EROFS, "Read-only file system"),
        IsADirectoryError(errno.EISDIR, "Is a directory"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
    ids=["eacces", "eperm", "erofs", "eisdir", "enospc"],
)
def test_a_read_goes_on_without_a_lock_the_file_system_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(first="one"))
    written = path.read_bytes()
    monkeypatch.setattr(_RefusedLock, "error", error)
    monkeypatch.setattr(store_module, "FileLock", _RefusedLock)
    store = AnswerStore(path)
    assert store.load() == _sheet(first="one")
    with pytest.raises(StoreError, match=f"cannot lock the answers file: {error.strerror}"):
        store.save(_sheet(first="two"))
    assert path.read_bytes() == written


def test_a_folder_where_the_lock_goes_stops_writes_but_not_reads(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(first="one"))
    store = AnswerStore(path)
    store.lock_path.unlink()
    store.lock_path.mkdir()
    assert store.load() == _sheet(first="one")
    with pytest.raises(StoreError, match="cannot lock the answers file: Is a directory") as caught:
        store.save(_sheet(first="two"))
    assert "a folder stands where the lock file goes" in caught.value.hint
    assert store.load() == _sheet(first="one")


def test_a_read_only_lock_file_is_explained_to_a_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(first="one"))
    monkeypatch.setattr(_RefusedLock, "error", PermissionError(errno.EACCES, "Permission denied"))
    monkeypatch.setattr(store_module, "FileLock", _RefusedLock)
    with pytest.raises(StoreError) as caught:
        AnswerStore(path).save(_sheet(first="two"))
    assert "reading (interlock status, interview --next) works as it is" in caught.value.hint


def test_a_read_does_without_the_lock_note_where_it_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(first="one"))

    def refuse(note: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(note))

    monkeypatch.setattr(store_module, "_write_lock_info", refuse)
    store = AnswerStore(path)
    assert store.load() == _sheet(first="one")
    with pytest.raises(StoreError, match="cannot write the lock note: Permission denied"):
        store.save(_sheet(first="two"))


def test_a_read_still_waits_for_a_writer_that_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    AnswerStore(path).save(_sheet(first="one"))
    with _holder(path, "session") as holder:
        assert holder.stdin is not None
        threading.Timer(0.3, holder.stdin.close).start()
        assert AnswerStore(path, lock_timeout=10).load() == _sheet(first="one")
