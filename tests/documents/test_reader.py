import os
from pathlib import Path

import pytest

from interlock.documents import reader
from interlock.documents.reader import read_with_status
from interlock.errors import InputError


def test_bytes_come_with_the_status_of_the_file_read(tmp_path: Path) -> None:
    path = tmp_path / "spec.md"
    path.write_bytes(b"# Spec\n\nbody\n")
    data, status = read_with_status(path)
    assert data == b"# Spec\n\nbody\n"
    assert (status.st_size, status.st_mtime_ns) == (len(data), path.stat().st_mtime_ns)


@pytest.fixture
def grown_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 5,000-byte file whose open handle reports 10 bytes, as if it grew after being
    opened."""
    path = tmp_path / "spec.md"
    path.write_bytes(b"x" * 5000)
    real = os.fstat

    def fstat(descriptor: int) -> os.stat_result:
        fields = list(real(descriptor))
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(reader.os, "fstat", fstat)
    return path


def test_a_file_that_grows_while_read_is_read_whole(grown_file: Path) -> None:
    data, _ = read_with_status(grown_file, max_bytes=6000)
    assert data == b"x" * 5000


def test_a_file_that_grows_past_the_limit_while_read_is_refused(grown_file: Path) -> None:
    with pytest.raises(InputError, match="grew past the 4,000-byte limit"):
        read_with_status(grown_file, max_bytes=4000)


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "spec.md"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(InputError, match="5,000 bytes, over the 4,000-byte limit"):
        read_with_status(path, max_bytes=4000)


def test_a_missing_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file") as caught:
        read_with_status(tmp_path / "gone.md")
    assert caught.value.path == tmp_path / "gone.md"
