"""Find the workspace a command runs in: the nearest folder holding ``.interlock/``.

Like yamllint, Interlock reads one config file, ``.interlock/config.yaml``, found by
walking up from the working directory; there is no per-directory cascade.
"""

from __future__ import annotations

from pathlib import Path

WORKSPACE_DIR = ".interlock"
CONFIG_NAME = "config.yaml"
SPECS_DIR = "specs"


def find_root(start: Path) -> Path | None:
    """Return the nearest folder at or above ``start`` that holds ``.interlock/``."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / WORKSPACE_DIR).is_dir():
            return folder
    return None


def find_config(start: Path) -> Path | None:
    """Return the nearest ``.interlock/config.yaml`` at or above ``start``."""
    root = find_root(start)
    if root is None:
        return None
    candidate = root / WORKSPACE_DIR / CONFIG_NAME
    return candidate if candidate.is_file() else None


__all__ = ["CONFIG_NAME", "SPECS_DIR", "WORKSPACE_DIR", "find_config", "find_root"]
