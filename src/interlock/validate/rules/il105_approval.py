"""A spec that has not been approved, or whose approval is missing, stale or forged.

Off by default: the production preset turns it on, so that a spec going to production
must be signed off.

A rendered document of an integration folder (``specs/NAME/`` holding
``interview.yaml`` or ``approvals.yaml``) is judged by the approvals record,
``approvals.yaml``, which ``interlock approve`` writes (docs/approvals.md). Every role
the interview requires (its answer to ``consumers.approvers``) must have approved the
documents exactly as they are now. The rule reports:

- a spec whose ``status`` claims approval (one of ``statuses``) while the folder has
  no record;
- each required role with no approval, and each role whose approvals all predate a
  change to the documents (stale), naming who approved, when, and what changed;
- an entry of the record changed by hand since it was recorded (its seal does not
  match), and a record that does not read (with its line);
- an interview that names nobody who must approve;
- front matter that does not say what the record holds: a ``status`` short of
  approval once every role approved, or ``approvers`` naming someone with no current
  approval.

The record and the other documents are read from the document's folder, found from
its path as the run shows it (relative to the current folder).

Any other spec is judged by its front matter alone: it fails when ``status`` is not one
of the ``statuses`` option (``approved`` and ``implemented`` by default), and, unless
``require_approvers`` is false, when ``approvers`` is missing or names nobody.

Fails::

    ---
    status: review
    approvers: []
    ---

Passes (outside an integration folder)::

    ---
    status: approved
    approvers: [dana-ortiz]
    ---
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from interlock.documents.model import Document, DocumentKind, FrontMatter
from interlock.documents.reader import decode_text
from interlock.errors import InputError
from interlock.model.finding import Problem, Severity
from interlock.regular_file import read_regular_file
from interlock.validate.rules import _front_matter_fields
from interlock.workspace.approval_record import read_record
from interlock.workspace.approval_review import ApprovalReview, ApprovalState, review_approvals
from interlock.workspace.approval_roles import APPROVERS_QUESTION, read_required_roles
from interlock.workspace.approvals import (
    APPROVALS_FILE,
    COVERED_DOCUMENTS,
    MAX_DOCUMENT_BYTES,
    document_digests,
    is_integration_folder,
)

ID = "IL105"
NAME = "approval"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.OFF
OPTIONS: Mapping[str, Any] = {
    "statuses": ["approved", "implemented"],
    "require_approvers": True,
}
FIX = "have the spec reviewed, then record each approval with `interlock approve NAME --role ROLE`"
KINDS = frozenset({DocumentKind.SPECKIT, DocumentKind.INTEGRATION_SPEC})
_COVERED = frozenset(COVERED_DOCUMENTS)
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Report a spec that is not approved, judged by its approvals record where the
    document is one of an integration folder's, else by its front matter."""
    front_matter = _front_matter_fields.parsed(doc)
    if front_matter is None:
        return
    folder = _integration_folder(doc)
    if folder is not None:
        yield from _check_record(doc, front_matter, folder, options)
        return
    status = front_matter.data.get("status")
    if status not in options["statuses"]:
        line = front_matter.line_of("status")
        yield Problem(
            line,
            _key_column(doc, line, "status" in front_matter.data),
            f"{_describe_status(status)} {', '.join(options['statuses'])}:"
            " the spec is not approved yet",
            "get the spec approved, then update its status",
        )
    if options["require_approvers"] and not _names_anyone(front_matter.data.get("approvers")):
        present = "approvers" in front_matter.data
        line = front_matter.line_of("approvers")
        yield Problem(
            line,
            _key_column(doc, line, present),
            f"approvers is {'empty' if present else 'missing'}:"
            " an approved spec names who approved it",
            "list the approvers, such as approvers: [dana-ortiz]",
        )


def _describe_status(status: Any) -> str:
    if status is None or (isinstance(status, str) and not status.strip()):
        return "status is missing or empty, so it is not one of"
    return f"status {status!r} is not one of"


def _names_anyone(approvers: Any) -> bool:
    if isinstance(approvers, str):
        return bool(approvers.strip())
    if isinstance(approvers, list):
        return any(isinstance(name, str) and name.strip() for name in approvers)
    return approvers is not None


def _key_column(doc: Document, line: int, present: bool) -> int:
    """Return the column of a present key, or 1 for the opening fence."""
    if not present:
        return 1
    return _front_matter_fields.text_column(doc.line(line))


def _integration_folder(doc: Document) -> Path | None:
    """Return the integration folder ``doc`` is a rendered document of, or ``None``.

    The file at the document's path must hold the document's text: a document parsed
    from elsewhere (or a run whose paths are not relative to the current folder) is
    not judged by a record that may not be its own.
    """
    if doc.path.name not in _COVERED:
        return None
    path = doc.path if doc.path.is_absolute() else Path.cwd() / doc.path
    folder = path.parent
    if not is_integration_folder(folder):
        return None
    try:
        data, _ = read_regular_file(path, max_bytes=MAX_DOCUMENT_BYTES, what="the document")
        text = decode_text(data, path=path)
    except InputError:
        return None
    return folder if text == doc.text else None


def _check_record(
    doc: Document, front_matter: FrontMatter, folder: Path, options: Mapping[str, Any]
) -> Iterator[Problem]:
    status = front_matter.data.get("status")
    status_at = front_matter.line_of("status")
    status_column = _key_column(doc, status_at, "status" in front_matter.data)
    record_path = folder / APPROVALS_FILE
    # Nothing beside the document is read through a link that leads out of its folder.
    within = folder.resolve()
    record_name = _shown(doc, APPROVALS_FILE)
    try:
        record = read_record(record_path, within=within)
    except InputError as error:
        yield Problem(
            status_at,
            status_column,
            f"{_shown(doc, APPROVALS_FILE)}:{error.line or 1}: {error.message}; no approval in"
            " it counts",
            error.hint,
        )
        return
    if not record.exists and status in options["statuses"]:
        yield Problem(
            status_at,
            status_column,
            f"status {status!r} claims approval, but no approval is recorded ({record_name}"
            " does not exist)",
            "approvals are recorded with `interlock approve NAME --role ROLE` after review;"
            " until then the status says draft",
        )
    try:
        required = read_required_roles(folder, within=within)
    except InputError as error:
        yield Problem(
            status_at,
            status_column,
            f"cannot tell which roles must approve: {error}",
            error.hint,
        )
        return
    if not required:
        why = "is unanswered or open" if required is None else "names nobody"
        yield Problem(
            status_at,
            status_column,
            f"nobody can approve this spec: the interview's {APPROVERS_QUESTION} {why}",
            "answer who has to sign off (interlock interview NAME), render, then approve",
        )
        return
    texts = {doc.path.name: doc.text}
    try:
        digests = document_digests(folder, texts=texts, within=within)
    except InputError as error:
        yield Problem(status_at, status_column, f"cannot read a document approved: {error}")
        return
    review = review_approvals(record, required, digests)
    yield from _record_problems(doc, front_matter, review, record_name, options)


def _record_problems(
    doc: Document,
    front_matter: FrontMatter,
    review: ApprovalReview,
    record_name: str,
    options: Mapping[str, Any],
) -> Iterator[Problem]:
    status = front_matter.data.get("status")
    status_at = front_matter.line_of("status")
    status_column = _key_column(doc, status_at, "status" in front_matter.data)
    roles_at = front_matter.line_of("approvers")
    roles_column = _key_column(doc, roles_at, "approvers" in front_matter.data)
    name = doc.path.parent.name
    for entry in review.unsealed:
        approval = entry.approval
        yield Problem(
            roles_at,
            roles_column,
            f"{record_name}:{approval.line}: the approval of role {approval.role!r} by"
            f" {approval.by} was changed after it was recorded (its seal does not match),"
            " so it does not count",
            "restore approvals.yaml from version control; approvals are recorded only by"
            " `interlock approve`, never edited",
        )
    for role in review.roles:
        hint_command = f"interlock approve {name} --role {_quoted(role.role)}"
        if role.stale is not None:
            approval = role.stale.approval
            yield Problem(
                roles_at,
                roles_column,
                f"the approval of role {role.role!r} by {approval.by}"
                f" ({approval.at:%Y-%m-%d}) is stale: {', '.join(role.stale.changed)} since"
                f" it was approved ({record_name}:{approval.line})",
                f"have {approval.by} (or someone else in that role) review the change, then"
                f" approve again: {hint_command}",
            )
        elif role.current is None:
            yield Problem(
                roles_at,
                roles_column,
                f"role {role.role!r} has not approved this spec: {record_name} records no"
                " approval for it",
                f"after review, someone in that role runs: {hint_command}",
            )
    if review.complete and status not in options["statuses"]:
        yield Problem(
            status_at,
            status_column,
            f"status {status!r} does not say what {record_name} records: every required"
            " role approved the documents as they are",
            "write status: approved; `interlock approve` writes status and approvers from"
            f" the record, and so does rendering (interlock render {name})",
        )
    approvers = front_matter.data.get("approvers")
    listed = [approvers] if isinstance(approvers, str) else approvers
    # Someone whose approval went stale is reported as such above; a name no sealed
    # approval of a required role carries was typed in by hand.
    recorded = {
        " ".join(entry.approval.by.casefold().split())
        for entry in review.entries
        if entry.required and entry.state is not ApprovalState.UNSEALED
    }
    for index, person in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(person, str) or not person.strip():
            continue
        if " ".join(person.casefold().split()) not in recorded:
            line = front_matter.item_lines.get(("approvers", index), roles_at)
            yield Problem(
                line,
                _key_column(doc, line, True),
                f"approvers lists {person!r}, who has no approval in {record_name}",
                f"approvers is written from the record: render again (interlock render {name})",
            )


def _shown(doc: Document, name: str) -> str:
    return (doc.path.parent / name).as_posix()


def _quoted(role: str) -> str:
    return role if role.replace("-", "").isalnum() else f"'{role}'"
