"""Approvals of an integration's documents: what an approval covers, and its file names.

An approval says that a person, in a role the interview requires
(``consumers.approvers``), approved the documents *as they are now*: it carries the
SHA-256 of each document it covers. Editing a document afterwards makes the approval
stale; the ``approval`` rule reports it and ``interlock approvals`` lists it.

What a digest covers (the same for approving, listing and validating):

- the rendered documents :data:`COVERED_DOCUMENTS` that are in the folder, as they are
  on disk, line breaks read as LF;
- except what approving itself, or rendering the same answers on another day,
  changes: the front matter fields ``status``, ``approvers`` and ``updatedAt``, the
  header fields ``**Last Updated**``, ``**Review Status**`` and ``**Date**`` above a
  document's first section, and whether the boxes of ``plan.md`` are ticked (the
  plan is ticked as the work is done, after approval).

Every other character counts: an edit of substance anywhere stales every approval.
:func:`stamp_front_matter` writes the two fields approving changes.

The rest of approving sits beside this module: the roles that must approve in
:mod:`interlock.workspace.approval_roles`, the sealed record ``approvals.yaml`` in
:mod:`interlock.workspace.approval_record`, and the record judged against the
documents in :mod:`interlock.workspace.approval_review`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from interlock.atomic_file import content_digest
from interlock.errors import InputError
from interlock.interview.files import INTERVIEW_FILE
from interlock.regular_file import read_regular_file
from interlock.safe_yaml import dump_yaml
from interlock.workspace.checklist import PLAN_FILE

__all__ = [
    "APPROVALS_FILE",
    "COVERED_DOCUMENTS",
    "SPEC_DOCUMENT",
    "approval_text",
    "combined_digest",
    "depends_on_record",
    "document_digests",
    "is_integration_folder",
    "stamp_front_matter",
]

APPROVALS_FILE = "approvals.yaml"
SPEC_DOCUMENT = "integration-spec.md"
COVERED_DOCUMENTS: tuple[str, ...] = (
    SPEC_DOCUMENT,
    "integration-points.md",
    "interview-summary.md",
    PLAN_FILE,
)
"""The rendered documents an approval covers, in the order they are listed."""
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""The largest document digested, the spec size limit of the ``unreadable`` rule."""

_BOOKKEEPING_FIELDS = frozenset({"status", "approvers", "updatedAt"})
_BOOKKEEPING_HEADERS = re.compile(r"^\*\*(?:Last Updated|Review Status|Date)\*\*:.*$")
_TASK_BOX = re.compile(r"^(?P<lead>[ \t]*[-*+][ \t]+\[)[xX](?P<rest>\])", re.MULTILINE)


# -- what an approval covers ----------------------------------------------------------


def approval_text(name: str, text: str) -> str:
    """Return the part of document ``name`` an approval covers (see the module docstring)."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    index = 0
    if lines and lines[0].rstrip() == "---":
        kept.append(lines[0])
        index = 1
        skipping = False
        while index < len(lines) and lines[index].rstrip() != "---":
            line = lines[index]
            index += 1
            top_key = re.match(r"^([A-Za-z_][\w-]*)[ \t]*:", line)
            if top_key is not None:
                skipping = top_key[1] in _BOOKKEEPING_FIELDS
            elif not (line.startswith((" ", "\t", "-")) or not line.strip()):
                skipping = False
            if not skipping:
                kept.append(line)
    in_header = True
    for line in lines[index:]:
        if line.startswith("## "):
            in_header = False
        if in_header and _BOOKKEEPING_HEADERS.match(line):
            continue
        kept.append(line)
    covered = "\n".join(kept)
    if name == PLAN_FILE:
        covered = _TASK_BOX.sub(r"\g<lead> \g<rest>", covered)
    return covered


def document_digests(
    folder: Path, *, texts: Mapping[str, str] | None = None, within: Path | None = None
) -> dict[str, str]:
    """Return the digest of each covered document in ``folder``, by file name.

    ``texts`` gives the text of documents already read (or about to be written);
    the others are read from disk. A document that is not there is left out.

    Raises:
        InputError: a document exists but cannot be read (a folder, a device, over
            the size limit, not UTF-8, a link out of ``within``).
    """
    given = dict(texts or {})
    digests: dict[str, str] = {}
    for name in COVERED_DOCUMENTS:
        if name in given:
            text = given[name]
        else:
            path = folder / name
            if not path.exists() and not path.is_symlink():
                continue
            data, _ = read_regular_file(
                path, max_bytes=MAX_DOCUMENT_BYTES, what="the document", within=within
            )
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                raise InputError(
                    "the document is not UTF-8 text", path=path, line=line, hint="save it as UTF-8"
                ) from None
        digests[name] = content_digest(approval_text(name, text).encode("utf-8"))
    return digests


def combined_digest(documents: Mapping[str, str]) -> str:
    """Return the one digest of a set of document digests (name → digest)."""
    lines = "".join(f"{name}\n{documents[name]}\n" for name in sorted(documents))
    return content_digest(lines.encode("utf-8"))


def is_integration_folder(folder: Path) -> bool:
    """Return whether ``folder`` holds an interview or an approvals record."""
    return (folder / INTERVIEW_FILE).exists() or (folder / APPROVALS_FILE).exists()


def depends_on_record(path: Path) -> bool:
    """Return whether what the ``approval`` rule says of ``path`` depends on files beside
    it (the record, the answers, the other documents): a covered document of an
    integration folder. Its result must not be taken from a cache keyed on its content."""
    return path.name in COVERED_DOCUMENTS and is_integration_folder(path.parent)


# -- writing the record into the front matter -----------------------------------------


def stamp_front_matter(text: str, *, status: str, approvers: Iterable[str]) -> str:
    """Return ``text`` with its front matter's ``status`` and ``approvers`` replaced.

    Only those two fields change (a field missing is added before the closing fence);
    a document without front matter is returned as it is.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].rstrip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        return text
    # A mapping of scalars alone would be written inline ({status: draft}): one key each,
    # and inline lists only for the list, as the rendered front matter writes them.
    written = {
        "status": dump_yaml({"status": status}).rstrip("\n"),
        "approvers": dump_yaml({"approvers": list(approvers)}, inline_lists=True).rstrip("\n"),
    }
    kept: list[str] = [lines[0]]
    placed: set[str] = set()
    skipping = False
    for line in lines[1:end]:
        top_key = re.match(r"^([A-Za-z_][\w-]*)[ \t]*:", line)
        if top_key is not None:
            skipping = top_key[1] in written
            if skipping and top_key[1] not in placed:
                placed.add(top_key[1])
                kept.append(written[top_key[1]])
        elif not (line.startswith((" ", "\t", "-")) or not line.strip()):
            skipping = False
        if not skipping:
            kept.append(line)
    kept.extend(written[key] for key in written if key not in placed)
    return newline.join([*kept, *lines[end:]])
