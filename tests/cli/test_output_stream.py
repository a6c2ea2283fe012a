"""A report written piece by piece: to stdout as printed, to a file only once complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.cli.output import stream_output
from interlock.errors import UsageError
from interlock.report.json_text import Sink

PIECES = ["{\n", '  "a": "é",\n', '  "b": 1\n', "}\n"]


def _write(sink: Sink) -> None:
    for piece in PIECES:
        sink.write(piece)


def test_pieces_reach_stdout_as_one_text(capsys: pytest.CaptureFixture[str]) -> None:
    stream_output(_write, None)
    assert capsys.readouterr().out == "".join(PIECES)


def test_a_text_without_a_last_line_break_gets_one(capsys: pytest.CaptureFixture[str]) -> None:
    stream_output(lambda sink: sink.write("no break"), None)
    assert capsys.readouterr().out == "no break\n"


def test_a_file_holds_the_pieces_as_utf8_with_line_breaks_kept(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    stream_output(lambda sink: sink.write("a\r\nb\né\n"), target)
    assert target.read_bytes() == "a\r\nb\né\n".encode()
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


def test_a_failure_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def broken(sink: Sink) -> None:
        sink.write("half")
        raise RuntimeError("the reporter failed")

    with pytest.raises(RuntimeError):
        stream_output(broken, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="names a file, not a folder"):
        stream_output(_write, tmp_path)
