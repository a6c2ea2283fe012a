"""Two or more specs with the same id.

Every spec's ``id`` must be unique in the workspace: links name specs by id, so a
duplicated id makes every link to it ambiguous. Each document that shares the id is
reported at its ``id`` line, naming the other files, so whichever copy a reviewer
opens shows the conflict. A copied spec whose id was not changed is the usual cause.

Fails::

    # specs/payments/spec.md
    id: spec-integration-stripe-001

    # specs/refunds/spec.md (copied, id not changed)
    id: spec-integration-stripe-001

Passes::

    # specs/payments/spec.md
    id: spec-integration-stripe-001

    # specs/refunds/spec.md
    id: spec-integration-stripe-002
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.model.finding import Severity, WorkspaceProblem
from interlock.workspace.index import Workspace

ID = "IL401"
NAME = "duplicate-id"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {}
FIX = "give each spec its own id, and update the links that meant the renamed one"
KINDS = None
SCOPE = "workspace"


def check(workspace: Workspace, options: Mapping[str, Any]) -> Iterator[WorkspaceProblem]:
    for entry in workspace.entries:
        if entry.id is None:
            continue
        twins = workspace.with_id(entry.id)
        if len(twins) < 2:
            continue
        others = ", ".join(twin.path for twin in twins if twin is not entry)
        yield WorkspaceProblem(
            entry.path, entry.id_line, 1, f"id {entry.id!r} is also defined in {others}"
        )
