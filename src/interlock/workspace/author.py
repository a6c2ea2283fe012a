"""Who is working in a workspace: git's ``user.name`` there, else the user logged in.

Answers record who gave them, and documents name their author; both default to this
when the person did not say.
"""

from __future__ import annotations

import getpass
import shutil
import subprocess
from pathlib import Path

__all__ = ["UNKNOWN_AUTHOR", "default_author"]

UNKNOWN_AUTHOR = "unknown author"


def default_author(workspace_root: Path | None = None) -> str:
    """Return git's ``user.name`` for the workspace, else the user logged in."""
    git = shutil.which("git")
    if git is not None:
        try:
            done = subprocess.run(
                [git, "config", "user.name"],
                cwd=workspace_root,
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            done = None
        if done is not None and done.returncode == 0 and " ".join(done.stdout.split()):
            return " ".join(done.stdout.split())
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return UNKNOWN_AUTHOR
