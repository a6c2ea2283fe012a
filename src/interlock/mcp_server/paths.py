"""Paths an agent names: inside the workspace, or refused.

An agent's arguments come from a conversation, and a conversation can carry anything a
document or a person put in it. A path argument is taken relative to the workspace
root, resolved (so ``..`` and symbolic links count by where they lead), and refused
unless it ends inside the workspace. A location with a scheme (``https://``, ``file:``)
is refused too: the server reads local files of the workspace only.
"""

from __future__ import annotations

import re
from pathlib import Path

from mcp.server.mcpserver.exceptions import ToolError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def inside_workspace(root: Path, given: str) -> Path:
    """Return ``given`` as a path inside ``root``; raise :class:`ToolError` otherwise."""
    if not given or "\0" in given:
        raise ToolError("a path is needed, without NUL characters")
    if _SCHEME.match(given) and not Path(given).is_absolute():
        raise ToolError(
            f"{given!r} is not a file of the workspace: this server reads no remote or "
            "scheme location; save the document inside the workspace and name its path"
        )
    base = root.resolve()
    candidate = Path(given)
    resolved = (candidate if candidate.is_absolute() else base / candidate).resolve()
    if resolved != base and base not in resolved.parents:
        raise ToolError(f"{given!r} leads outside the workspace ({base}); name a path inside it")
    return resolved


__all__ = ["inside_workspace"]
