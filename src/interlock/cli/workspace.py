"""What the interview, status and render commands share: the workspace and its answers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from interlock.errors import UsageError
from interlock.workspace.root import find_root

if TYPE_CHECKING:
    from interlock.interview.answers import AnswerSheet
    from interlock.interview.engine import Engine
    from interlock.interview.store import AnswerStore

# The interview core is imported inside the functions, so that `interlock --help`
# starts fast.


def require_root(cwd: Path) -> Path:
    """Return the workspace root above ``cwd``, or explain how to make one."""
    root = find_root(cwd)
    if root is None:
        raise UsageError(
            "not inside an Interlock workspace (no .interlock/ folder here or above)",
            hint="run 'interlock init' in the repository that should hold the specs",
        )
    return root


def open_store(root: Path, name: str) -> AnswerStore:
    """Return the answer store of integration ``name``."""
    from interlock.interview.store import AnswerStore, interview_path

    return AnswerStore(interview_path(root, name))


def existing_sheet(store: AnswerStore, name: str) -> AnswerSheet:
    """Load the answers of ``name``, or say how to start its interview."""
    if not store.exists():
        raise UsageError(
            f"no interview named {name!r} in this workspace",
            hint=f"start it with: interlock interview {name}",
        )
    return store.load()


def engine_for(sheet: AnswerSheet, root: Path) -> Engine:
    """Return the engine of the bank ``sheet`` was answered with."""
    from interlock.interview.bank import load_bank
    from interlock.interview.engine import Engine

    return Engine(load_bank(sheet.template, root))
