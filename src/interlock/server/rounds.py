"""The next round of each integration, kept until what it is made from changes.

Many people poll the next round, and it changes only when someone answers: it is
worked out again only when the answers file, the research notes (which suggest
answers) or the workspace's own banks change. The answers file is read and hashed on
every request, so an answer written by the command line or an agent is seen at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interlock.atomic_file import content_digest
from interlock.folders.integration import IntegrationFolder
from interlock.workspace.root import BANKS_DIR

__all__ = ["RoundCache"]

Mark = tuple[Any, ...]


@dataclass
class RoundCache:
    """The last next round of each integration folder, with what it was made from."""

    kept: dict[Path, tuple[Mark, dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_round(self, folder: IntegrationFolder) -> dict[str, Any]:
        """The next round as ``interview --next --json`` gives it, with ``revision``."""
        mark = self.mark(folder)
        with self.lock:
            kept = self.kept.get(folder.path)
        if mark is not None and kept is not None and kept[0] == mark:
            return dict(kept[1])
        data = folder.next_round().to_dict()
        data["revision"] = folder.store.revision
        if mark is not None and mark[0] == data["revision"]:
            self.keep(folder, mark, data)
        return data

    def keep(self, folder: IntegrationFolder, mark: Mark, data: dict[str, Any]) -> None:
        """Keep ``data``, the round of the answers at ``mark``."""
        with self.lock:
            self.kept[folder.path] = (mark, dict(data))

    def mark(self, folder: IntegrationFolder) -> Mark | None:
        """What the round of ``folder`` is made from now: the answers' revision, then
        :meth:`sources`; None when the answers cannot be read."""
        try:
            revision = content_digest(folder.store.path.read_bytes())
        except OSError:
            return None
        return (revision, *self.sources(folder))

    @staticmethod
    def sources(folder: IntegrationFolder) -> Mark:
        """What else the round is made from: the research notes and the banks, as files."""
        return (_files(folder.research_path), _files(folder.root / BANKS_DIR))


def _files(folder: Path) -> tuple[tuple[str, int, int], ...]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return ()
    found = []
    for path in entries:
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)
