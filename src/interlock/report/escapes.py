"""Visible escapes for characters no report may emit raw.

A finding's message quotes the spec it came from, so it may hold anything: terminal
escape sequences, characters XML 1.0 forbids, bidirectional overrides that reorder
what a reviewer sees. Every human-facing format shows such characters as ``\\x1b`` or
``\\u202e`` instead; each format then applies its own escaping on top.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def show_unsafe(text: str, *, keep: str = "") -> str:
    """Return ``text`` with control and invisible-formatting characters escaped.

    Args:
        keep: characters to leave as they are, for formats that escape them their
            own way (line breaks in GitHub commands, for instance).
    """

    def replace(match: re.Match[str]) -> str:
        char = match[0]
        if char in keep:
            return char
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(replace, text)


__all__ = ["show_unsafe"]
