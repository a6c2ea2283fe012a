"""Approvals of an integration's documents: ``specs/NAME/approvals.yaml``.

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

Each entry of the record is sealed: ``seal`` is the SHA-256 of its other fields, so an
entry changed by hand (a digest "updated" to match an edited document, say) is seen
and does not count. A seal is no signature: anyone can compute it, or run ``interlock
approve --by`` with another name. What protects the record from a pull request that
forges one is review of ``approvals.yaml`` itself (see ``docs/approvals.md``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from interlock.atomic_file import content_digest, write_atomically
from interlock.errors import InputError, StoreError, UsageError, YamlError
from interlock.interview.answers import AnswerSheet
from interlock.interview.answers_file import MAX_ANSWERS_BYTES, parse_sheet_allowing_edits
from interlock.interview.store import INTERVIEW_FILE
from interlock.interview.values import entity_key
from interlock.regular_file import read_regular_file
from interlock.safe_yaml import dump_yaml, format_timestamp, load_yaml
from interlock.workspace.checklist import PLAN_FILE

__all__ = [
    "APPROVALS_FILE",
    "APPROVERS_QUESTION",
    "COVERED_DOCUMENTS",
    "SPEC_DOCUMENT",
    "Approval",
    "ApprovalRecord",
    "ApprovalReview",
    "ApprovalState",
    "EntryReview",
    "RecordedApproval",
    "RoleReview",
    "append_approval",
    "approval_text",
    "combined_digest",
    "depends_on_record",
    "document_digests",
    "is_integration_folder",
    "match_role",
    "new_approval",
    "read_record",
    "read_required_roles",
    "required_roles",
    "review_approvals",
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
APPROVERS_QUESTION = "consumers.approvers"
"""The question whose answer names the roles that must approve."""

MAX_RECORD_BYTES = 1024 * 1024
"""The largest record read: thousands of approvals; a larger file is refused."""
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""The largest document digested, the spec size limit of the ``unreadable`` rule."""

_HEADER = (
    "# interlock: approvals record, format 1. Written by `interlock approve`; each entry is\n"
    "# sealed, so an entry edited by hand no longer counts. See docs/approvals.md.\n"
)
_FORMAT = 1
_ENTRY_KEYS = ("role", "by", "at", "comment", "digest", "documents", "seal")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_BOOKKEEPING_FIELDS = frozenset({"status", "approvers", "updatedAt"})
_BOOKKEEPING_HEADERS = re.compile(r"^\*\*(?:Last Updated|Review Status|Date)\*\*:.*$")
_TASK_BOX = re.compile(r"^(?P<lead>[ \t]*[-*+][ \t]+\[)[xX](?P<rest>\])", re.MULTILINE)
_FORMAT_HINT = "the record's format is described in docs/approvals.md"
_RESTORE_HINT = (
    "restore approvals.yaml from version control, or delete the damaged entries and "
    "approve again with `interlock approve`"
)


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


# -- the roles required ---------------------------------------------------------------


def required_roles(sheet: AnswerSheet) -> tuple[str, ...] | None:
    """Return the roles that must approve, one per item of the approvers answer.

    ``None`` when the question is unanswered or skipped (an open question); an empty
    tuple when the answer names nobody. Items are folded to one line, and an item
    named twice (ignoring case and spacing) counts once.
    """
    answer = sheet.answers.get(APPROVERS_QUESTION)
    if answer is None or answer.skipped or answer.value is None:
        return None
    values = [answer.value] if isinstance(answer.value, str) else list(answer.value)
    roles: list[str] = []
    seen: set[str] = set()
    for value in values:
        text = " ".join(str(value).split())
        if text and _role_key(text) not in seen:
            seen.add(_role_key(text))
            roles.append(text)
    return tuple(roles)


def match_role(given: str, required: Sequence[str]) -> str:
    """Return the required role ``given`` names: exactly, ignoring case and spacing, or
    by its slug (``security-team`` for ``Security team``).

    Raises:
        UsageError: it names none of them; the message suggests the nearest.
    """
    key = _role_key(given)
    for role in required:
        if _role_key(role) == key:
            return role
    slug = entity_key(given)
    by_slug = [role for role in required if entity_key(role) == slug]
    if len(by_slug) == 1:
        return by_slug[0]
    keys = {_role_key(role): role for role in required}
    near = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.5)
    guess = f"; did you mean {keys[near[0]]!r}?" if near else ""
    raise UsageError(
        f"{given!r} is not a role that must approve this integration{guess}",
        hint="the roles are the interview's answer to consumers.approvers: "
        + ", ".join(repr(role) for role in required),
    )


def _role_key(text: str) -> str:
    return " ".join(text.casefold().split())


# -- the record -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Approval:
    """One entry of the record: who approved which content, in which role, and when."""

    role: str
    by: str
    at: datetime
    comment: str
    digest: str
    """The digest of all the documents approved together (:func:`combined_digest`)."""
    documents: Mapping[str, str]
    """File name → digest of each document approved."""
    seal: str
    line: int = 0
    """The entry's line in the record; 0 for one not read from a file."""

    @property
    def sealed(self) -> bool:
        """Whether the entry is as ``interlock approve`` wrote it."""
        return self.seal == _seal_of(self) and self.digest == combined_digest(self.documents)

    def to_data(self) -> dict[str, Any]:
        """Return the entry as the record writes it."""
        return {
            "role": self.role,
            "by": self.by,
            "at": self.at,
            "comment": self.comment,
            "digest": self.digest,
            "documents": dict(self.documents),
            "seal": self.seal,
        }


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """Every approval of one integration, in the order they were recorded."""

    path: Path
    approvals: tuple[Approval, ...] = ()
    exists: bool = False
    text: str = ""
    """The file's text as read, so that an approval is appended without rewriting it."""


def new_approval(
    role: str, by: str, documents: Mapping[str, str], *, at: datetime, comment: str = ""
) -> Approval:
    """Return a sealed approval of ``documents`` (name → digest)."""
    for what, text in (("role", role), ("by", by), ("comment", comment)):
        _refuse_unstorable(text, what)
    who = " ".join(by.split())
    if not who:
        raise UsageError("the approver's name is empty", hint="name who approves with --by")
    moment = at.astimezone(UTC).replace(microsecond=0)
    unsealed = Approval(role, who, moment, comment, combined_digest(documents), dict(documents), "")
    return Approval(
        unsealed.role,
        unsealed.by,
        unsealed.at,
        unsealed.comment,
        unsealed.digest,
        unsealed.documents,
        _seal_of(unsealed),
    )


def _seal_of(approval: Approval) -> str:
    fields = [
        approval.role,
        approval.by,
        format_timestamp(approval.at),
        approval.comment,
        approval.digest,
        sorted(approval.documents.items()),
    ]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _refuse_unstorable(text: str, what: str) -> None:
    bad = next((char for char in text if 0xD800 <= ord(char) <= 0xDFFF), None)
    if bad is not None:
        raise UsageError(
            f"the {what} holds text that is not valid Unicode (U+{ord(bad):04X})",
            hint="type it again, or check the terminal's encoding",
        )


def read_record(path: Path, *, within: Path | None = None) -> ApprovalRecord:
    """Read the record at ``path``; a missing file is an empty record.

    Entries whose seal does not match are read too (:attr:`Approval.sealed` is false):
    the caller reports them, and never counts them.

    Raises:
        InputError: the file cannot be read, is not UTF-8 or YAML, or an entry is not
            of the format; the error names the line.
    """
    if not path.exists() and not path.is_symlink():
        return ApprovalRecord(path)
    data, _ = read_regular_file(
        path, max_bytes=MAX_RECORD_BYTES, what="the approvals record", within=within
    )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            "the approvals record is not UTF-8 text", path=path, line=line, hint=_RESTORE_HINT
        ) from None
    try:
        document = load_yaml(text, path=path)
    except YamlError as error:
        raise InputError(
            error.message, path=path, line=error.line, column=error.column, hint=_RESTORE_HINT
        ) from None
    raw = document.value
    if raw is None:
        return ApprovalRecord(path, (), True, text)
    if not isinstance(raw, dict) or not isinstance(raw.get("approvals", []), list):
        raise InputError(
            "expected a mapping with format and a list of approvals",
            path=path,
            line=document.first_line,
            hint=_FORMAT_HINT,
        )
    unknown = [key for key in raw if key not in ("format", "approvals")]
    if unknown:
        raise InputError(
            f"unknown field {unknown[0]!r}",
            path=path,
            line=document.line_of((unknown[0],)),
            hint=_FORMAT_HINT,
        )
    if raw.get("format", _FORMAT) != _FORMAT:
        raise InputError(
            f"format {raw.get('format')!r} is not one this Interlock reads (it reads {_FORMAT})",
            path=path,
            line=document.line_of(("format",)),
            hint="upgrade Interlock, or " + _RESTORE_HINT,
        )
    approvals = []
    for index, entry in enumerate(raw.get("approvals") or []):

        def fault(message: str, key: str | None = None, index: int = index) -> InputError:
            where = ("approvals", index) if key is None else ("approvals", index, key)
            return InputError(
                f"approval {index + 1}: {message}",
                path=path,
                line=document.line_of(where),
                hint=_FORMAT_HINT,
            )

        approvals.append(_entry(entry, fault, document.line_of(("approvals", index))))
    return ApprovalRecord(path, tuple(approvals), True, text)


def _entry(entry: Any, fault: Any, line: int) -> Approval:
    if not isinstance(entry, dict):
        raise fault(f"expected a mapping with {', '.join(_ENTRY_KEYS)}")
    for key in entry:
        if key not in _ENTRY_KEYS:
            raise fault(f"unknown field {key!r}", str(key))
    for key in _ENTRY_KEYS:
        if key not in entry:
            raise fault(f"missing field {key!r}")
    for key in ("role", "by", "comment", "digest", "seal"):
        if not isinstance(entry[key], str):
            raise fault(f"{key} must be text", key)
    for key in ("role", "by"):
        if not entry[key].strip():
            raise fault(f"{key} is empty", key)
    at = entry["at"]
    if not isinstance(at, datetime):
        raise fault("at must be a UTC timestamp, like 2024-05-01T09:30:00Z", "at")
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    documents = entry["documents"]
    if not isinstance(documents, dict) or not documents:
        raise fault("documents must map each document's file name to its digest", "documents")
    for name, digest in documents.items():
        if name not in COVERED_DOCUMENTS:
            raise fault(f"{name!r} is not a document an approval covers", "documents")
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            raise fault(f"the digest of {name} is not sha256:<64 hex digits>", "documents")
    for key in ("digest", "seal"):
        if not _DIGEST.match(entry[key]):
            raise fault(f"{key} is not sha256:<64 hex digits>", key)
    return Approval(
        entry["role"],
        entry["by"],
        at,
        entry["comment"],
        entry["digest"],
        dict(documents),
        entry["seal"],
        line,
    )


def append_approval(record: ApprovalRecord, approval: Approval) -> str:
    """Write ``approval`` at the end of the record and return the text written.

    Earlier entries are kept byte for byte (hand-damaged ones too, still unsealed), so
    the change a review sees is the one entry added.

    Raises:
        StoreError: the record cannot be written.
    """
    entry = dump_yaml({"approvals": [approval.to_data()]}).split("\n", 1)[1]
    expected = (*record.approvals, approval)
    text = ""
    if record.exists and record.approvals:
        base = record.text if record.text.endswith("\n") else record.text + "\n"
        text = base + entry
        if not _reads_as(text, record.path, expected):
            text = ""
    if not text:
        data = {"format": _FORMAT, "approvals": [item.to_data() for item in expected]}
        text = _HEADER + dump_yaml(data)
    if not _reads_as(text, record.path, expected):
        raise StoreError(
            "the approval could not be written so that it reads back the same; nothing was written",
            path=record.path,
            hint="this is a bug in Interlock; please report it with the role and comment",
        )
    try:
        write_atomically(record.path, text.encode("utf-8"))
    except OSError as error:
        raise StoreError(
            f"cannot write the approvals record: {error.strerror}", path=record.path
        ) from None
    return text


def _reads_as(text: str, path: Path, expected: Sequence[Approval]) -> bool:
    try:
        document = load_yaml(text, path=path)
    except YamlError:
        return False
    raw = document.value
    if not isinstance(raw, dict) or not isinstance(raw.get("approvals"), list):
        return False
    found = raw["approvals"]
    return len(found) == len(expected) and all(
        isinstance(item, dict) and {**item, "at": _utc(item.get("at"))} == approval.to_data()
        for item, approval in zip(found, expected, strict=True)
    )


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


# -- judging the record against the documents -----------------------------------------


class ApprovalState(StrEnum):
    """Where one approval stands against the documents as they are now."""

    CURRENT = "current"
    """It approved exactly the documents as they are."""
    STALE = "stale"
    """A document changed (or appeared, or went) since it was approved."""
    UNSEALED = "unsealed"
    """The entry was changed after it was recorded; it does not count."""


@dataclass(frozen=True, slots=True)
class EntryReview:
    """One approval of the record, judged."""

    approval: Approval
    state: ApprovalState
    changed: tuple[str, ...] = ()
    """What changed since, for a stale one: ``plan.md changed``, ``plan.md added``."""
    required: bool = True
    """Whether its role is still one the interview requires."""


@dataclass(frozen=True, slots=True)
class RoleReview:
    """One required role: its current approval, its latest stale one, or neither."""

    role: str
    current: Approval | None = None
    stale: EntryReview | None = None

    @property
    def state(self) -> str:
        """``current``, ``stale`` or ``missing``."""
        if self.current is not None:
            return ApprovalState.CURRENT.value
        return ApprovalState.STALE.value if self.stale is not None else "missing"


@dataclass(frozen=True, slots=True)
class ApprovalReview:
    """The record judged against the documents and the roles the interview requires."""

    record: ApprovalRecord
    required: tuple[str, ...] | None
    """The roles that must approve; ``None`` while the question is open."""
    entries: tuple[EntryReview, ...]
    roles: tuple[RoleReview, ...]
    digests: Mapping[str, str] = field(default_factory=dict)
    """The documents as they are now: file name → digest."""

    @property
    def complete(self) -> bool:
        """Whether every required role (at least one) approved the documents as they are."""
        return bool(self.roles) and all(role.current is not None for role in self.roles)

    @property
    def missing(self) -> tuple[str, ...]:
        """Required roles with no approval at all."""
        return tuple(role.role for role in self.roles if role.state == "missing")

    @property
    def stale(self) -> tuple[RoleReview, ...]:
        """Required roles whose approvals all predate a change."""
        return tuple(role for role in self.roles if role.state == ApprovalState.STALE.value)

    @property
    def unsealed(self) -> tuple[EntryReview, ...]:
        """Entries changed by hand since they were recorded."""
        return tuple(e for e in self.entries if e.state is ApprovalState.UNSEALED)

    @property
    def approvers(self) -> tuple[str, ...]:
        """Who approved the documents as they are, in the order of the roles, once each."""
        names: list[str] = []
        for role in self.roles:
            if role.current is not None and role.current.by not in names:
                names.append(role.current.by)
        return tuple(names)

    @property
    def status(self) -> str:
        """The spec's status the record supports: ``approved`` when complete,
        ``review`` once any required role has approved (even a version since
        changed), else ``draft``."""
        if self.complete:
            return "approved"
        if any(role.state != "missing" for role in self.roles):
            return "review"
        return "draft"


def review_approvals(
    record: ApprovalRecord, required: Sequence[str] | None, digests: Mapping[str, str]
) -> ApprovalReview:
    """Judge each approval of ``record`` against ``digests``, the documents as they are."""
    keys = {_role_key(role) for role in required or ()}
    entries = tuple(
        _judge(approval, digests, required=_role_key(approval.role) in keys)
        for approval in record.approvals
    )
    roles = []
    for role in required or ():
        mine = [e for e in entries if _role_key(e.approval.role) == _role_key(role)]
        current = [e.approval for e in mine if e.state is ApprovalState.CURRENT]
        stale = [e for e in mine if e.state is ApprovalState.STALE]
        roles.append(
            RoleReview(
                role,
                current[-1] if current else None,
                None if current or not stale else stale[-1],
            )
        )
    return ApprovalReview(
        record,
        None if required is None else tuple(required),
        entries,
        tuple(roles),
        dict(digests),
    )


def _judge(approval: Approval, digests: Mapping[str, str], *, required: bool) -> EntryReview:
    if not approval.sealed:
        return EntryReview(approval, ApprovalState.UNSEALED, required=required)
    changed = [
        f"{name} {_change(approval.documents.get(name), digests.get(name))}"
        for name in COVERED_DOCUMENTS
        if approval.documents.get(name) != digests.get(name)
    ]
    state = ApprovalState.STALE if changed else ApprovalState.CURRENT
    return EntryReview(approval, state, tuple(changed), required)


def _change(before: str | None, now: str | None) -> str:
    if before is None:
        return "added"
    return "removed" if now is None else "changed"


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


def read_required_roles(folder: Path, *, within: Path | None = None) -> tuple[str, ...] | None:
    """Return the roles the answers file in ``folder`` requires (see :func:`required_roles`).

    Raises:
        InputError: the answers file is missing or does not load.
    """
    path = folder / INTERVIEW_FILE
    raw, _ = read_regular_file(
        path, max_bytes=MAX_ANSWERS_BYTES, what="the answers file", within=within
    )
    try:
        sheet, _ = parse_sheet_allowing_edits(raw, path)
    except StoreError as error:
        raise InputError(error.message, path=path, line=error.line, hint=error.hint) from None
    return required_roles(sheet)


@dataclass(frozen=True, slots=True)
class RecordedApproval:
    """What :meth:`IntegrationFolder.approve` recorded, and where things stand after it."""

    approval: Approval
    review: ApprovalReview
    """The record judged after the approval was added."""
    record_path: Path
    stamped: Path | None
    """The spec whose front matter now carries the record, or ``None`` if unchanged."""
