"""The guard that keeps an integration folder inside its workspace.

A linked ``specs/NAME`` (or ``specs``) would have answers, documents and locks written
elsewhere, and a linked file in it read from elsewhere: an
:class:`~interlock.folders.integration.IntegrationFolder` refuses both before anything
is read or written, naming the link and where it leads.
"""

from __future__ import annotations

from pathlib import Path

from interlock.errors import InputError
from interlock.regular_file import link_out_of

__all__ = ["refuse_links_out"]

_MAX_LINK_CHECKS = 10_000
"""Entries of an integration folder looked at for links; a real one holds a few dozen."""


def refuse_links_out(folder: Path, root: Path) -> None:
    """Refuse an integration folder that a link leads out of the workspace ``root``.

    A linked ``specs/NAME`` (or ``specs``) would have answers, documents and locks
    written elsewhere, and a linked file in it read from elsewhere; both are refused
    before anything is read or written, naming the link and where it leads.

    Raises:
        InputError: the folder, or an entry below it, is a link out of ``root``.
    """
    links = [folder] if folder.is_symlink() or folder.parent.is_symlink() else []
    if folder.is_dir() and not links:
        for count, entry in enumerate(folder.rglob("*")):
            if count >= _MAX_LINK_CHECKS:
                break
            if entry.is_symlink():
                links.append(entry)
    for path in links:
        real = link_out_of(path, root)
        if real is not None:
            raise InputError(
                f"{path.relative_to(root) if path.is_relative_to(root) else path} is a link "
                f"to {real}, outside the workspace",
                path=path,
                hint="Interlock neither reads nor writes outside the workspace through a "
                "link; replace the link with the folder or file itself",
            )
