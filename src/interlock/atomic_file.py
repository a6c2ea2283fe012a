"""Replace a file so that a crash at any moment leaves either the old or the new one.

Every file Interlock writes for the user (answers, rendered documents, reports, the
cache) goes through :func:`write_atomically`: a temporary file in the same folder,
written, flushed and fsynced, renamed over the target, then the folder fsynced so the
rename itself survives a power cut.

Before a file a person may have edited is replaced, :func:`keep_copy` keeps it next to
itself under a name with the time (``interview.yaml.replaced-20240501T093000Z``), and
:func:`content_digest` tells whether a file still holds what Interlock last wrote.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``; the file's permission bits are kept.

    Raises:
        OSError: the folder is missing or not writable, or the disk is full; the old
            file is then untouched and no temporary file is left behind.
    """
    with replacing(path) as stream:
        stream.write(data)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """Give a stream whose content replaces ``path`` when the block ends without error.

    For what is written piece by piece (a report on a hundred thousand files), so it
    never has to be held whole; the same guarantees as :func:`write_atomically`.

    Raises:
        OSError: as :func:`write_atomically`; on any error the old file is untouched.
    """
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            with suppress(FileNotFoundError):
                temp.chmod(path.stat().st_mode & 0o7777)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(path)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    sync_directory(path.parent)


def sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable, where the platform can open folders."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def content_digest(data: bytes) -> str:
    """Return what identifies ``data`` as a file's content: ``sha256:<hex digest>``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def keep_copy(path: Path, label: str, data: bytes) -> Path:
    """Write ``data`` next to ``path`` as ``<name>.<label>-<UTC time>``; return that path.

    The name is never one that exists: a second copy in the same second gets ``-2``.

    Raises:
        OSError: the copy cannot be written.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{number}")
    write_atomically(candidate, data)
    return candidate


__all__ = ["content_digest", "keep_copy", "sync_directory", "write_atomically"]
