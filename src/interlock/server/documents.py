"""The documents of an integration's folder as the server shows them: listed, read
(only the folder's own Markdown files, never through a link)."""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException

from interlock.folders.integration import IntegrationFolder
from interlock.regular_file import read_regular_file
from interlock.workspace.approvals import MAX_DOCUMENT_BYTES, document_digests

__all__ = ["document_names", "read_document"]


def _own_documents(folder: IntegrationFolder) -> dict[str, Path]:
    """The folder's own Markdown files (no link, nothing below it), by name."""
    if not folder.path.is_dir():
        return {}
    return {
        path.name: path
        for path in sorted(folder.path.iterdir())
        if path.suffix == ".md" and path.is_file() and not path.is_symlink()
    }


def document_names(folder: IntegrationFolder) -> list[dict[str, str | None]]:
    """Each document's name and the digest an approval of it is bound to (``None`` for
    a document approvals do not cover, such as the outcome note)."""
    digests = document_digests(folder.path, within=folder.root.resolve())
    return [{"name": name, "digest": digests.get(name)} for name in _own_documents(folder)]


def read_document(folder: IntegrationFolder, name: str) -> str:
    """The text of document ``name`` of the folder.

    Raises:
        HTTPException: 404 for a name that is not one of the folder's own documents.
    """
    path = _own_documents(folder).get(name)
    if path is None:
        raise HTTPException(404, f"{folder.name} has no document {name!r}")
    data, _ = read_regular_file(
        path, max_bytes=MAX_DOCUMENT_BYTES, what="the document", within=folder.root.resolve()
    )
    return data.decode("utf-8", errors="replace")
