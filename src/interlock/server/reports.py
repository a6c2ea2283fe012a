"""Validation reports of integration folders, kept until a file they read changes: the
integrations page shows every integration's score, and a document page its findings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interlock.folders.integration import IntegrationFolder
from interlock.folders.workspace import WorkspaceFolder
from interlock.workspace.root import WORKSPACE_DIR

__all__ = ["Reports"]


@dataclass
class Reports:
    """Validation reports by integration folder, kept until a file of the folder (or
    the workspace's configuration) changes: the list page shows every score."""

    kept: dict[Path, tuple[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self, folder: IntegrationFolder) -> dict[str, Any]:
        """The folder's validation report, as ``interlock validate --format json``."""
        mark = _files_mark(folder.path, folder.root / WORKSPACE_DIR)
        with self.lock:
            kept = self.kept.get(folder.path)
        if kept is not None and kept[0] == mark:
            return kept[1]
        report = WorkspaceFolder(folder.root).validation_report([folder.path], jobs=1)
        with self.lock:
            self.kept[folder.path] = (mark, report)
        return report


def _files_mark(*folders: Path) -> tuple[Any, ...]:
    """What changes when any file below ``folders`` is written, added or removed."""
    marks = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            # The server's own database sits in .interlock/ too, and changes all the time.
            if path.is_file() and not path.name.startswith(".") and ".sqlite" not in path.name:
                stat = path.stat()
                marks.append((str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(marks)
