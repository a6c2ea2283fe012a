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
from interlock.interview.files import INTERVIEW_FILE

_ANSWERS_SUFFIX = os.sep + INTERVIEW_FILE


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


@cache
def _any_glob(globs: tuple[str, ...]) -> re.Pattern[str] | None:
    """Compile ``globs`` into one pattern, matched once per file; ``None`` for none."""
    if not globs:
        return None
    return re.compile("|".join(f"(?:{glob_pattern(glob).pattern})" for glob in globs))


def find_specs(
    paths: Sequence[Path],
    *,
    root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    answers: bool = False,
) -> list[Path]:
    """Return the spec files under ``paths``, absolute and sorted, each once.

    With ``answers``, the interviews' answers files (``interview.yaml``) found in the
    folders are returned too, whatever ``include`` says (``exclude`` still applies):
    the secret rule reads them, since a credential typed as an answer is as exposed
    as one in a spec.

    Each given path is made absolute once and the files below it are named from it, so a
    run over ten thousand specs makes no system call per file beyond the walk.

    Raises:
        UsageError: a path does not exist.
    """
    found: dict[str, None] = {}
    root_prefix = str(root.resolve()) + os.sep
    included, excluded = _any_glob(tuple(include)), _any_glob(tuple(exclude))
    for given in paths:
        # Absolute but not resolved: a link stays a link, so that reading it can see
        # where it leads (a link out of the workspace is not followed).
        if given.is_file():
            found[os.path.abspath(given)] = None  # noqa: PTH100 (strings, as below)
        elif given.is_dir():
            folder = os.path.abspath(given)  # noqa: PTH100
            for path in _walk_markdown(folder, answers=answers):
                relative = _relative(path, root_prefix, folder + os.sep)
                wanted = path.endswith(_ANSWERS_SUFFIX) or (
                    included is not None and included.match(relative)
                )
                if wanted and not (excluded is not None and excluded.match(relative)):
                    found[path] = None
        else:
            raise UsageError(
                f"{given}: no such file or directory",
                hint="pass spec files or folders; with no path, the workspace's specs/ is read",
            )
    # In the order of Path objects (folder by folder), without making one per comparison.
    return [Path(path) for path in sorted(found, key=_path_order)]


def display_path(path: Path, cwd: Path) -> str:
    """Return absolute ``path`` as the user should see it: relative to ``cwd`` inside it."""
    text = str(path)
    prefix = str(cwd) + os.sep
    if text.startswith(prefix):
        return _posix(text[len(prefix) :])
    return path.as_posix()


def relative_to_root(path: Path, root: Path) -> str:
    """Return absolute ``path`` relative to ``root`` (POSIX), or as it is outside it."""
    return _relative(str(path), str(root) + os.sep, "")


def _walk_markdown(folder: str, *, answers: bool) -> Iterable[str]:
    # Strings, not Path objects: a Path costs microseconds to make and to compare, and
    # a workspace holds thousands of specs. They become Paths once, sorted.
    for current, folders, files in os.walk(folder, onerror=_unreadable_folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in files:
            if name.lower().endswith(".md") or (answers and name == INTERVIEW_FILE):
                yield os.path.join(current, name)  # noqa: PTH118 (see above)


def _unreadable_folder(error: OSError) -> None:
    """Stop at a folder that cannot be listed: skipping it would pass its specs unread."""
    reason = error.strerror or str(error)
    raise UsageError(
        f"{error.filename}: cannot read the folder ({reason}); the specs in it would go unchecked",
        hint="make the folder readable, or validate the folders around it one by one",
    )


def _path_order(path: str) -> list[str]:
    """The sort key that orders path strings as their Path objects are ordered."""
    return os.path.normcase(path).split(os.sep)  # noqa: PTH206 (strings on purpose)


def _relative(path: str, root_prefix: str, folder_prefix: str) -> str:
    for prefix in (root_prefix, folder_prefix):
        if prefix and path.startswith(prefix):
            return _posix(path[len(prefix) :])
    return _posix(path)


def _posix(path: str) -> str:
    """Write a clean native path (absolute, or relative below a folder) with ``/``.

    A string operation, not a :class:`~pathlib.Path`: it runs once per spec.
    """
    return path if os.sep == "/" else path.replace(os.sep, "/")


__all__ = ["display_path", "find_specs", "glob_pattern", "matches_any", "relative_to_root"]
