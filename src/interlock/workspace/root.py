"""The workspace's layout, and how to find the workspace a command runs in.

A workspace is the nearest folder holding ``.interlock/``. Every path of its layout is
spelled here, once::

    .interlock/config.yaml      CONFIG_NAME, in WORKSPACE_DIR
    .interlock/banks/           BANKS_DIR: question banks that override built-in ones
    .interlock/templates/       TEMPLATES_DIR: templates that override built-in ones
    specs/NAME/                 SPECS_DIR, integration_dir(): one integration's files

Like yamllint, Interlock reads one config file, ``.interlock/config.yaml``, found by
walking up from the working directory; there is no per-directory cascade.
"""

from __future__ import annotations

from pathlib import Path

from interlock.errors import UsageError

WORKSPACE_DIR = ".interlock"
CONFIG_NAME = "config.yaml"
SPECS_DIR = "specs"
BANKS_DIR = f"{WORKSPACE_DIR}/banks"
"""Where a workspace keeps its own question banks, relative to its root."""
TEMPLATES_DIR = f"{WORKSPACE_DIR}/templates"
"""Where a workspace keeps its own templates, relative to its root."""


def find_root(start: Path) -> Path | None:
    """Return the nearest folder at or above ``start`` that holds ``.interlock/``."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / WORKSPACE_DIR).is_dir():
            return folder
    return None


def require_root(start: Path) -> Path:
    """Return the workspace at or above ``start``, or explain how to make one.

    Raises:
        UsageError: no folder at or above ``start`` holds ``.interlock/``.
    """
    root = find_root(start)
    if root is None:
        raise UsageError(
            "not inside an Interlock workspace (no .interlock/ folder here or above)",
            hint="run 'interlock init' in the repository that should hold the specs",
        )
    return root


def find_config(start: Path) -> Path | None:
    """Return the nearest ``.interlock/config.yaml`` at or above ``start``."""
    root = find_root(start)
    if root is None:
        return None
    candidate = root / WORKSPACE_DIR / CONFIG_NAME
    # Anything by that name is the config: a pipe or a device is refused when read,
    # never silently skipped.
    return candidate if candidate.exists() else None


def integration_dir(root: Path, name: str) -> Path:
    """Return the folder of integration ``name`` (a checked slug) in the workspace ``root``."""
    return root / SPECS_DIR / name


def require_specs(root: Path) -> Path:
    """Return the ``specs/`` folder of ``root``, or explain how to get one.

    Raises:
        UsageError: there is no such folder.
    """
    specs = root / SPECS_DIR
    if not specs.is_dir():
        raise UsageError(
            f"no {SPECS_DIR}/ folder in this workspace",
            hint="pass spec files or folders, or run 'interlock init' to create the workspace",
        )
    return specs


__all__ = [
    "BANKS_DIR",
    "CONFIG_NAME",
    "SPECS_DIR",
    "TEMPLATES_DIR",
    "WORKSPACE_DIR",
    "find_config",
    "find_root",
    "integration_dir",
    "require_specs",
]
