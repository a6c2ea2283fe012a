"""Replace a file so that a crash at any moment leaves either the old or the new one.

Every file Interlock writes for the user (answers, rendered documents, reports, the
cache) goes through :func:`write_atomically`: a temporary file in the same folder,
written, flushed and fsynced, renamed over the target, then the folder fsynced so the
rename itself survives a power cut.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``; the file's permission bits are kept.

    Raises:
        OSError: the folder is missing or not writable, or the disk is full; the old
            file is then untouched and no temporary file is left behind.
    """
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            with suppress(FileNotFoundError):
                temp.chmod(path.stat().st_mode & 0o7777)
            stream.write(data)
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


__all__ = ["sync_directory", "write_atomically"]
