"""A file that cannot be read as a text spec.

A spec must be UTF-8 text. A file is unreadable, and none of its content is checked,
when it is binary (an image or an archive), contains a NUL byte, holds bytes that are
not valid UTF-8 (a file saved as Latin-1 or UTF-16, say), is larger than the
``max_bytes`` option (5 MiB by default, so a stray dump cannot stall a run), or cannot
be opened at all. The finding points at the first bad byte's line and column.

A UTF-8 byte-order mark at the start and Windows (CRLF) or old Mac (CR) line endings
are fine: they are removed or normalised before any rule runs.

Fails::

    payments.md saved as Latin-1: "Café" ends in the byte 0xe9

Passes::

    payments.md saved as UTF-8, with or without a byte-order mark
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.errors import InputError
from interlock.model.finding import Problem, Severity
from interlock.validate.rule import OptionProblem

ID = "IL301"
NAME = "unreadable"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {"max_bytes": 5 * 1024 * 1024}
FIX = "save the file as UTF-8 text, or leave it out of the paths to validate"
KINDS = None
SCOPE = "file"


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report a size limit that is not a positive number of bytes."""
    if options["max_bytes"] <= 0:
        yield OptionProblem("max_bytes", "must be a positive number of bytes")


def check(error: InputError, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Turn the reason a file could not be read into one problem at its position."""
    yield Problem(error.line or 1, error.column or 1, error.message, error.hint)
