"""Read a file Interlock was pointed at, only if it is a regular file, and only so much.

A spec, a config, an answers file or a cache entry could be a FIFO, ``/dev/zero`` or
``/dev/urandom`` (by mistake, or by a link a pull request adds): reading one would hang
or fill memory. :func:`read_regular_file` opens without blocking, asks the open file
what it is, refuses anything but a regular file, and never reads more than its cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from interlock.errors import InputError

__all__ = ["link_out_of", "read_regular_file", "read_regular_text", "refuse_link_out"]


def link_out_of(path: Path | str, within: Path) -> str | None:
    """Return where ``path`` really is if a link takes it out of folder ``within``.

    ``None`` when no link is on the way, or the links stay inside ``within`` (which
    must be absolute and free of links itself, as a resolved workspace root is).
    """
    named = os.path.abspath(path)  # noqa: PTH100 (strings: it runs once per spec)
    real = os.path.realpath(named)
    if real == named:
        return None
    folder = str(within)
    if real == folder or real.startswith(folder.rstrip(os.sep) + os.sep):
        return None
    return real


def refuse_link_out(path: Path, within: Path | None, what: str) -> None:
    """Raise if a link takes ``path`` out of ``within`` (see :func:`link_out_of`).

    Raises:
        InputError: it does, naming where the link leads.
    """
    if within is None:
        return
    real = link_out_of(path, within)
    if real is not None:
        raise InputError(
            f"cannot read {what}: it leads through a link to {real}, outside the "
            f"workspace {within}",
            path=path,
            hint="Interlock reads nothing outside the workspace through a link; copy the "
            "file into the workspace, or remove the link",
        )


def read_regular_file(
    path: Path,
    *,
    max_bytes: int,
    what: str = "file",
    hint: str = "",
    within: Path | None = None,
) -> tuple[bytes, os.stat_result]:
    """Return the bytes of ``path`` and the status of the file that was read.

    The size comes from the open file, so a file over ``max_bytes`` is refused before
    it is read, and only its size (plus one byte, to see it grow) is asked for.

    Args:
        what: what the file is, for messages ("config file", "answers file").
        hint: what to do when the file is too large.
        within: the resolved workspace root, when the file was found in a workspace:
            a path that leads out of it through a link is refused.

    Raises:
        InputError: the file cannot be opened or read, is not a regular file, is over
            ``max_bytes``, or leads out of ``within`` through a link.
    """
    refuse_link_out(path, within, what)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise InputError(f"cannot read {what}: {error.strerror or error}", path=path) from None
    status = os.fstat(fd)
    if stat.S_ISDIR(status.st_mode):
        os.close(fd)
        raise InputError(
            f"cannot read {what}: this is a folder, not a file",
            path=path,
            hint="name the file itself",
        )
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(status.st_mode):
            raise InputError(
                f"cannot read {what}: it is not a regular file (a pipe, device or socket)",
                path=path,
                hint="point Interlock at the file itself",
            )
        if status.st_size > max_bytes:
            raise InputError(
                f"{what} is {status.st_size:,} bytes, over the {max_bytes:,}-byte limit",
                path=path,
                line=1,
                hint=hint,
            )
        try:
            data = handle.read(status.st_size + 1)
            if len(data) > status.st_size:  # written to since it was opened
                data += handle.read(max_bytes + 1 - len(data))
        except OSError as error:
            raise InputError(f"cannot read {what}: {error.strerror or error}", path=path) from None
    if len(data) > max_bytes:
        raise InputError(f"{what} grew past the {max_bytes:,}-byte limit", path=path, line=1)
    return data, status


def read_regular_text(
    path: Path, *, max_bytes: int, what: str = "file", within: Path | None = None
) -> str:
    """Return the UTF-8 text of ``path``, read as :func:`read_regular_file` reads it.

    Raises:
        InputError: as :func:`read_regular_file`, or the bytes are not UTF-8.
    """
    data, _ = read_regular_file(path, max_bytes=max_bytes, what=what, within=within)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read {what}: {error}", path=path) from None
