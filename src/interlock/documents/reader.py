"""Decode a spec file's bytes into text, or say exactly why it cannot be read.

Binary content, NUL bytes, invalid UTF-8 and files over the size limit raise
:class:`~interlock.errors.InputError` with the line and column of the first bad byte.
A UTF-8 byte-order mark is dropped and CRLF or CR line endings become ``\\n``.
"""

from __future__ import annotations

import os
from pathlib import Path

from interlock.errors import InputError
from interlock.regular_file import read_regular_file

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


def read_bytes(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, within: Path | None = None
) -> bytes:
    """Read ``path``, refusing files larger than ``max_bytes`` before reading them."""
    return read_with_status(path, max_bytes=max_bytes, within=within)[0]


def read_with_status(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, within: Path | None = None
) -> tuple[bytes, os.stat_result]:
    """Read ``path`` and return its bytes with the status of the file that was read.

    Args:
        within: the resolved workspace root: a link leading out of it is not followed.

    Raises:
        InputError: the file cannot be opened or read, is not a regular file, is over
            ``max_bytes`` (refused before it is read), or leads out of ``within``
            through a link.
    """
    return read_regular_file(
        path,
        max_bytes=max_bytes,
        what="file",
        hint="split the document, or raise the unreadable rule's max_bytes option",
        within=within,
    )


def decode_text(data: bytes, *, path: Path) -> str:
    """Decode UTF-8 ``data`` (BOM allowed) and normalise line endings."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    nul = data.find(b"\x00")
    if nul != -1:
        line, column = _position(data, nul)
        raise InputError(
            "binary content (NUL byte): not a text document",
            path=path,
            line=line,
            column=column,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8",
            path=path,
            line=line,
            column=column,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


__all__ = ["DEFAULT_MAX_BYTES", "decode_text", "read_bytes", "read_with_status"]
