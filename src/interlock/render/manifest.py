"""Write rendered documents without losing a hand edit, and without tearing a file.

Next to the documents, ``.interlock-rendered.json`` records the SHA-256 of each file
as it was last rendered. Before writing, every target is compared with it: a file
whose content is neither what was last rendered nor what is about to be written was
changed by hand, and :func:`write_documents` refuses (naming the file) unless
``force`` is given; with ``force`` the edited file is first kept as
``<name>.edited-<time>``. A document that exists but was never rendered counts as
hand-written. Every write goes to a temporary file that is flushed, synced and
renamed over the target, so a crash leaves the old file or the new one.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from interlock.atomic_file import content_digest, keep_copy, write_atomically
from interlock.errors import RenderError

__all__ = [
    "MANIFEST_NAME",
    "WriteResult",
    "document_diffs",
    "edited_documents",
    "write_documents",
]

MANIFEST_NAME = ".interlock-rendered.json"
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What :func:`write_documents` did to each file."""

    written: tuple[Path, ...]
    """Files created or replaced."""
    unchanged: tuple[Path, ...]
    """Files that already held exactly the rendered text."""
    kept: tuple[Path, ...] = ()
    """Copies of hand-edited files made before ``force`` replaced them."""


def _read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged manifest proves nothing about the files: treat them all as edited,
        # which is the safe side.
        return {}
    files = raw.get("files") if isinstance(raw, dict) else None
    if not isinstance(files, dict):
        return {}
    return {name: value for name, value in files.items() if isinstance(value, str)}


def edited_documents(folder: Path, documents: Mapping[str, str]) -> list[Path]:
    """Return the files among ``documents`` whose content on disk was changed by hand.

    A file is edited when it exists and holds neither the text last rendered into it
    (per the manifest) nor the text about to be written.
    """
    manifest = _read_manifest(folder)
    edited = []
    for name, text in documents.items():
        path = folder / name
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise RenderError(f"cannot read the document: {error.strerror}", path=path) from None
        digest = content_digest(current)
        if digest not in (manifest.get(name), content_digest(text.encode("utf-8"))):
            edited.append(path)
    return edited


def document_diffs(folder: Path, documents: Mapping[str, str]) -> dict[str, str]:
    """Return, per document that differs, a unified diff from the file on disk to ``text``."""
    diffs = {}
    for name, text in documents.items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
        except (OSError, UnicodeDecodeError) as error:
            raise RenderError(f"cannot read the document: {error}", path=path) from None
        if current == text:
            continue
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{path.as_posix()} (on disk)",
            tofile=f"{path.as_posix()} (rendered)",
        )
        diffs[name] = "".join(diff)
    return diffs


def write_documents(
    folder: Path, documents: Mapping[str, str], *, force: bool = False
) -> WriteResult:
    """Write ``documents`` (file name to text) into ``folder`` and record their digests.

    Raises:
        RenderError: a document was edited by hand since it was rendered (nothing is
            written then), or a file cannot be written.
    """
    for name in documents:
        if Path(name).name != name or name.startswith("."):
            raise RenderError(f"{name!r} is not a plain file name for a document")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RenderError(f"cannot create the folder: {error.strerror}", path=folder) from None
    edited = edited_documents(folder, documents)
    if edited and not force:
        first = edited[0]
        others = f" (and {len(edited) - 1} more)" if len(edited) > 1 else ""
        raise RenderError(
            f"{first.name} was edited by hand since it was last rendered{others}",
            path=first,
            hint="see what rendering would change with `interlock render NAME --diff` "
            "(or render to stdout and compare), copy your edits into the answers, "
            "then render again; --force replaces the file and keeps your version as "
            f"{first.name}.edited-<time>",
        )
    manifest = _read_manifest(folder)
    written: list[Path] = []
    unchanged: list[Path] = []
    kept: list[Path] = []
    for name, text in documents.items():
        path = folder / name
        data = text.encode("utf-8")
        manifest[name] = content_digest(data)
        if path in edited:
            kept.append(_keep_copy(path))
        elif path.is_file() and _same_content(path, data):
            unchanged.append(path)
            continue
        _write(path, data)
        written.append(path)
    record = {"format": _FORMAT, "files": dict(sorted(manifest.items()))}
    _write(folder / MANIFEST_NAME, (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    return WriteResult(tuple(written), tuple(unchanged), tuple(kept))


def _same_content(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _keep_copy(path: Path) -> Path:
    try:
        return keep_copy(path, "edited", path.read_bytes())
    except OSError as error:
        raise RenderError(f"cannot keep a copy of the file: {error.strerror}", path=path) from None


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as error:
        raise RenderError(f"cannot write the file: {error.strerror}", path=path) from None
