"""Where a workspace's templates are read from, and how carefully.

A template under ``.interlock/templates/`` comes with a pull request, so its name and
its file are both untrusted. :func:`workspace_loader` serves only files inside that
folder: a name that climbs out with ``..``, a symbolic link anywhere on the way (the
folder itself included) or a file that is not regular is refused with an error naming
the path, never followed. A file is read at most :data:`MAX_TEMPLATE_BYTES` and must
be UTF-8; the error of one that is not names its line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, FunctionLoader, TemplateNotFound

from interlock.errors import RenderError
from interlock.regular_file import read_regular_file
from interlock.workspace.root import TEMPLATES_DIR

__all__ = ["MAX_TEMPLATE_BYTES", "templates_folder", "workspace_loader"]

MAX_TEMPLATE_BYTES = 256 * 1024
"""Largest template file read (bytes): over ten times the largest built-in one."""

_HINT = f"keep each template as a regular file directly in {TEMPLATES_DIR}/"


def templates_folder(workspace_root: Path) -> Path | None:
    """Return the resolved templates folder of ``workspace_root``, or None if it has none.

    Raises:
        RenderError: the folder, or ``.interlock/`` above it, is a symbolic link.
    """
    root = workspace_root.resolve()
    folder = root / TEMPLATES_DIR
    _refuse_links(root, folder)
    return folder if folder.is_dir() else None


def workspace_loader(folder: Path) -> BaseLoader:
    """Return a loader of the templates in ``folder``, refusing anything leading outside."""
    return FunctionLoader(lambda template: _source(folder, template))


def _source(folder: Path, template: str) -> tuple[str, str, Callable[[], bool]] | None:
    """Return a template's text, file and freshness check, or None if it is not there."""
    path = folder.joinpath(*_pieces(template, folder))
    _refuse_links(folder, path)
    if not os.path.lexists(path):
        return None
    data, status = read_regular_file(
        path,
        max_bytes=MAX_TEMPLATE_BYTES,
        what="template",
        hint="split it into smaller templates with {% include %}",
    )
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RenderError(
            f"template {template!r} is not UTF-8 text: {error.reason} at byte {error.start}",
            path=path,
            line=data.count(b"\n", 0, error.start) + 1,
            hint="save the template as UTF-8",
        ) from None
    return source, str(path), _unchanged(path, status.st_mtime_ns)


def _pieces(template: str, folder: Path) -> list[str]:
    """Return the parts of a template name, refusing any that would leave ``folder``."""
    pieces = []
    for piece in template.split("/"):
        if piece == ".." or os.sep in piece or (os.altsep and os.altsep in piece):
            raise RenderError(
                f"template name {template!r} leads outside {TEMPLATES_DIR}/",
                path=folder / template,
                hint="name templates by their path inside the templates folder, without '..'",
            )
        if piece and piece != ".":
            pieces.append(piece)
    if not pieces:
        raise TemplateNotFound(template)
    return pieces


def _refuse_links(top: Path, path: Path) -> None:
    """Refuse ``path`` if it, or a folder between ``top`` and it, is a symbolic link."""
    current = top
    for part in path.relative_to(top).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return  # missing: not found, as if the workspace had no such template
        if stat.S_ISLNK(mode):
            raise RenderError(
                f"{current.name!r} is a symbolic link; templates are read only from regular files",
                path=current,
                hint=_HINT,
            )


def _unchanged(path: Path, modified: int) -> Callable[[], bool]:
    def unchanged() -> bool:
        try:
            return os.lstat(path).st_mtime_ns == modified
        except OSError:
            return False

    return unchanged
