"""What checking one file on its own produces, before the workspace rules run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import NamedTuple

from interlock.documents.suppressions import Suppressions
from interlock.model.finding import Finding
from interlock.workspace.index import SpecEntry

Stamp = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode: what the cache trusts."""


def stamp_of(status: os.stat_result) -> Stamp:
    """Return the :data:`Stamp` of a file from its status."""
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What checking one file on its own produced."""

    path: str
    kind: str
    findings: tuple[Finding, ...]
    entry: SpecEntry | None
    suppressions: Suppressions
    digest: str
    stamp: Stamp = (0, 0, 0, 0)
    """The file's stamp when it was read."""


class CacheHit(NamedTuple):
    """A file whose content matched the cache: its digest and current stamp."""

    digest: str
    stamp: Stamp


__all__ = ["CacheHit", "FileOutcome", "Stamp", "stamp_of"]
