"""Fixtures of the integration folder tests: a fresh workspace, and the order-service answers.

The core object is used here the way the MCP server and the team server will use it:
no command line, no working directory, just a workspace root and an integration name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.folders.workspace import WorkspaceFolder
from support.answered import order_answers as order_answers


@pytest.fixture
def workspace(tmp_path: Path) -> WorkspaceFolder:
    """A workspace made by ``interlock init``, with no interview yet."""
    root = tmp_path / "repo"
    root.mkdir()
    WorkspaceFolder.create(root)
    return WorkspaceFolder(root)
