"""Find the spec documents a command should read, from the paths a user gave.

Directories are searched recursively for ``*.md`` files that match the config's
``include`` globs and none of its ``exclude`` globs; files named explicitly are
always read. Globs are matched against the path relative to the workspace root
(or to the directory given): ``*`` stays within one folder, ``**/`` spans any number.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from interlock.errors import UsageError


@cache
def glob_pattern(glob: str) -> re.Pattern[str]:
    """Compile a path glob: ``**/`` is any number of folders, ``*`` any name part."""
    out: list[str] = []
    index = 0
    while index < len(glob):
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return re.compile("".join(out) + r"\Z")


def matches_any(relative: str, globs: Iterable[str]) -> bool:
    """Return whether the POSIX ``relative`` path matches one of ``globs``."""
    return any(glob_pattern(glob).match(relative) for glob in globs)


def find_specs(
    paths: Sequence[Path],
    *,
    root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
) -> list[Path]:
    """Return the spec files under ``paths``, sorted, each once.

    Raises:
        UsageError: a path does not exist.
    """
    found: dict[Path, None] = {}
    for given in paths:
        if given.is_file():
            found[given] = None
        elif given.is_dir():
            base = _base_for(given, root)
            for path in _walk_markdown(given):
                relative = _relative(path, base)
                if matches_any(relative, include) and not matches_any(relative, exclude):
                    found[path] = None
        else:
            raise UsageError(
                f"{given}: no such file or directory",
                hint="pass spec files or folders; with no path, the workspace's specs/ is read",
            )
    return sorted(found)


def display_path(path: Path, cwd: Path) -> str:
    """Return ``path`` as the user should see it: relative to ``cwd`` when inside it."""
    try:
        return path.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _walk_markdown(folder: Path) -> Iterable[Path]:
    for current, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in files:
            if name.lower().endswith(".md"):
                yield Path(current, name)


def _base_for(folder: Path, root: Path) -> Path:
    resolved = folder.resolve()
    return root if resolved == root or root in resolved.parents else resolved


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = ["display_path", "find_specs", "glob_pattern", "matches_any"]
