"""A workspace: the folder holding ``.interlock/`` and ``specs/``, and its integrations.

:class:`WorkspaceFolder` is where a front end starts: it finds the workspace a user
works in (or explains how to make one), creates one, lists the integrations that have
an interview, and hands out the :class:`IntegrationFolder` of each.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from interlock.errors import InterlockError, UsageError
from interlock.folders.integration import IntegrationFolder
from interlock.folders.status import IntegrationStatus, UnreadableIntegration
from interlock.interview.files import INTERVIEW_FILE
from interlock.interview.store import DEFAULT_LOCK_TIMEOUT
from interlock.render.system_context import SystemContext, system_context
from interlock.workspace.layout import InitResult, init_workspace
from interlock.workspace.root import SPECS_DIR, require_root

__all__ = ["WorkspaceFolder"]


class WorkspaceFolder:
    """The workspace whose root folder is ``root``."""

    def __init__(self, root: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.root = root
        self.lock_timeout = lock_timeout
        """How long a change waits for another writer of the same answers file."""

    def __repr__(self) -> str:
        return f"WorkspaceFolder({self.root!r})"

    @classmethod
    def find(cls, start: Path) -> WorkspaceFolder:
        """Return the workspace at or above ``start``, or explain how to make one.

        Raises:
            UsageError: no folder at or above ``start`` holds ``.interlock/``.
        """
        return cls(require_root(start))

    @classmethod
    def create(cls, root: Path) -> InitResult:
        """Create the workspace layout under ``root``, keeping anything that exists."""
        return init_workspace(root)

    def integration(self, name: str) -> IntegrationFolder:
        """Return integration ``name``, whether its interview has begun or not.

        Raises:
            StoreError: ``name`` cannot name a folder (it is not a slug).
        """
        return IntegrationFolder(self.root, name, lock_timeout=self.lock_timeout)

    def integration_names(self) -> list[str]:
        """Return the names of the integrations whose interview has begun, sorted."""
        specs = self.root / SPECS_DIR
        if not specs.is_dir():
            return []
        return sorted(path.parent.name for path in specs.glob(f"*/{INTERVIEW_FILE}"))

    def statuses(self) -> list[IntegrationStatus | UnreadableIntegration]:
        """Return where each integration stands, in name order.

        One integration that cannot be read (a damaged answers file, a bank that no
        longer loads) is reported as such, and the others are still listed.
        """
        return [self._status(name) for name in self.integration_names()]

    def system_contexts(
        self, names: Sequence[str] | None = None
    ) -> tuple[list[SystemContext], list[UnreadableIntegration]]:
        """Return the system-context view of each integration (all when ``names`` is None).

        An integration that cannot be read is returned apart, with its error, and the
        others are still drawn.

        Raises:
            UsageError: a name given has no interview in this workspace.
        """
        known = self.integration_names()
        for name in names or ():
            if name not in known:
                raise UsageError(
                    f"no integration named {name!r} in this workspace",
                    hint=f"known: {', '.join(known) or 'none yet'}",
                )
        contexts: list[SystemContext] = []
        unreadable: list[UnreadableIntegration] = []
        for name in names or known:
            try:
                contexts.append(system_context(self.integration(name).integration()))
            except InterlockError as error:
                unreadable.append(UnreadableIntegration(name, error))
        return contexts, unreadable

    def validation_report(
        self, paths: Sequence[Path] = (), *, preset: str | None = None, jobs: int | None = None
    ) -> dict[str, Any]:
        """Validate ``paths`` (the workspace's ``specs/`` when none is given) and return
        the report as ``interlock validate --format json`` prints it.

        Raises:
            ConfigError: the workspace's configuration or ``preset`` is invalid.
        """
        from interlock.report import json as json_report
        from interlock.validate.runner import ConfigRequest, validate_paths

        targets = list(paths) or [self.root / SPECS_DIR]
        request = ConfigRequest(self.root, preset=preset)
        result = validate_paths(targets, request, cwd=self.root, jobs=jobs)
        try:
            report: dict[str, Any] = json.loads(json_report.render(result))
        finally:
            result.close()
        return report

    def _status(self, name: str) -> IntegrationStatus | UnreadableIntegration:
        try:
            return self.integration(name).status()
        except InterlockError as error:
            return UnreadableIntegration(name, error)
