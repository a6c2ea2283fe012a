"""What checking one file on its own produces, before the workspace rules run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from interlock.documents.suppressions import Suppressions
from interlock.model.finding import Finding
from interlock.workspace.index import SpecEntry


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What checking one file on its own produced."""

    path: str
    kind: str
    findings: tuple[Finding, ...]
    entry: SpecEntry | None
    suppressions: Suppressions
    digest: str
    stamp: tuple[int, int] = (0, 0)
    """The file's size and modification time (ns) when it was read."""


class CacheHit(NamedTuple):
    """A file whose content matched the cache: its digest and current stamp."""

    digest: str
    stamp: tuple[int, int]


__all__ = ["CacheHit", "FileOutcome"]
