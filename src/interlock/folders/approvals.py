"""Approving an integration's documents, and reading where its approvals stand.

The record's format, what a digest covers and how approvals are judged are in
:mod:`interlock.workspace.approvals`, which the ``approval`` rule reads too; this
module does what :class:`~interlock.folders.integration.IntegrationFolder` does with
them: record an approval (then write the spec's ``status`` and ``approvers`` from the
record), list the approvals, and give freshly rendered documents the front matter the
record supports. The folder calls these under the answers file's lock where it writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from interlock.atomic_file import write_atomically
from interlock.errors import InputError, StoreError, UsageError
from interlock.regular_file import read_regular_file
from interlock.render.manifest import edited_documents, write_documents
from interlock.workspace.approval_record import append_approval, new_approval, read_record
from interlock.workspace.approval_review import ApprovalReview, RecordedApproval, review_approvals
from interlock.workspace.approval_roles import APPROVERS_QUESTION, match_role
from interlock.workspace.approvals import (
    APPROVALS_FILE,
    MAX_DOCUMENT_BYTES,
    SPEC_DOCUMENT,
    document_digests,
    stamp_front_matter,
)

__all__ = ["record_approval", "review_folder", "stamped_documents"]


def record_approval(
    folder: Path,
    required: Sequence[str] | None,
    role: str,
    *,
    by: str,
    comment: str = "",
    at: datetime | None = None,
    within: Path | None = None,
    name: str = "NAME",
) -> RecordedApproval:
    """Record that ``by`` approved the documents of ``folder`` as they are, in ``role``.

    Args:
        required: the roles the interview requires.
        role: one of them (case and spacing aside, or its slug).
        name: the integration's name, for hints.

    Raises:
        UsageError: no role is required, ``role`` is not one of them, or the documents
            were never rendered.
        InputError: the record or a document cannot be read.
        StoreError: the record or the spec cannot be written.
    """
    if not required:
        raise UsageError(
            f"the interview of {name!r} names nobody who must approve it",
            hint=f"answer {APPROVERS_QUESTION} (who has to sign off): interlock interview {name}",
        )
    matched = match_role(role, required)
    spec = folder / SPEC_DOCUMENT
    if not spec.is_file():
        raise UsageError(
            f"the documents of {name!r} were never rendered: there is nothing to approve",
            path=spec,
            hint=f"render them with `interlock render {name}`, have them reviewed, then approve",
        )
    digests = document_digests(folder, within=within)
    record = read_record(folder / APPROVALS_FILE, within=within)
    approval = new_approval(matched, by, digests, at=at or datetime.now(UTC), comment=comment)
    append_approval(record, approval)
    review = review_approvals(
        read_record(folder / APPROVALS_FILE, within=within), required, digests
    )
    stamped = _stamp_spec(spec, required, within)
    return RecordedApproval(approval, review, folder / APPROVALS_FILE, stamped)


def review_folder(
    folder: Path, required: Sequence[str] | None, *, within: Path | None = None
) -> ApprovalReview:
    """Judge the record of ``folder`` against its documents as they are on disk.

    Raises:
        InputError: the record or a document cannot be read.
    """
    digests = document_digests(folder, within=within)
    return review_approvals(read_record(folder / APPROVALS_FILE, within=within), required, digests)


def stamped_documents(
    folder: Path,
    documents: Mapping[str, str],
    required: Sequence[str] | None,
    *,
    within: Path | None = None,
) -> dict[str, str]:
    """Return rendered ``documents`` with the spec's ``status`` and ``approvers`` as the
    record supports them for these very documents (a change stales approvals).

    Raises:
        InputError: the record cannot be read.
    """
    spec = documents.get(SPEC_DOCUMENT)
    if spec is None:
        return dict(documents)
    digests = document_digests(folder, texts=documents, within=within)
    review = review_approvals(
        read_record(folder / APPROVALS_FILE, within=within), required, digests
    )
    stamped = stamp_front_matter(spec, status=review.status, approvers=review.approvers)
    return {**documents, SPEC_DOCUMENT: stamped}


def _stamp_spec(path: Path, required: Sequence[str], within: Path | None) -> Path | None:
    """Write the record's status and approvers into the spec on disk, every other byte
    kept; a spec as last rendered stays so for the next render. Return the path, or
    ``None`` when its front matter already said so."""
    try:
        data, _ = read_regular_file(
            path, max_bytes=MAX_DOCUMENT_BYTES, what="the document", within=within
        )
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the document is not UTF-8 text", path=path) from None
    stamped = stamped_documents(path.parent, {path.name: text}, required, within=within)[path.name]
    if stamped == text:
        return None
    if edited_documents(path.parent, {path.name: stamped}):
        # Edited by hand since it was rendered: it stays so, with the record written in.
        try:
            write_atomically(path, stamped.encode("utf-8"))
        except OSError as error:
            raise StoreError(f"cannot write the document: {error.strerror}", path=path) from None
    else:
        write_documents(path.parent, {path.name: stamped})
    return path
