"""What checking one file on its own produces, before the workspace rules run."""

from __future__ import annotations

from dataclasses import dataclass

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


__all__ = ["FileOutcome"]
