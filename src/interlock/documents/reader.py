"""Decode a spec file's bytes into text, or say exactly why it cannot be read.

Binary content, NUL bytes, invalid UTF-8 and files over the size limit raise
:class:`~interlock.errors.InputError` with the line and column of the first bad byte.
A UTF-8 byte-order mark is dropped and CRLF or CR line endings become ``\\n``.
"""

from __future__ import annotations

import os
from pathlib import Path

from interlock.errors import InputError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read ``path``, refusing files larger than ``max_bytes`` before reading them."""
    return read_with_status(path, max_bytes=max_bytes)[0]


def read_with_status(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, os.stat_result]:
    """Read ``path`` and return its bytes with the status of the file that was read.

    The size comes from the open file, so a file over ``max_bytes`` is refused
    before it is read, and only its size (plus one byte, to see it grow) is asked
    for: a read of ``max_bytes`` would allocate that much for every small spec.

    Raises:
        InputError: the file cannot be opened or read, or is over ``max_bytes``.
    """
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if status.st_size > max_bytes:
                raise InputError(
                    f"file is {status.st_size:,} bytes, over the {max_bytes:,}-byte limit "
                    "for a spec",
                    path=path,
                    line=1,
                    hint="split the document, or raise the unreadable rule's max_bytes option",
                )
            data = handle.read(status.st_size + 1)
            if len(data) > status.st_size:  # written to since it was opened
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", path=path) from None
    if len(data) > max_bytes:
        raise InputError(f"file grew past the {max_bytes:,}-byte limit", path=path, line=1)
    return data, status


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
