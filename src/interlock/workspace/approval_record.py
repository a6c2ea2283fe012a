"""The approvals record of an integration, ``specs/NAME/approvals.yaml``: read and appended.

Each entry says who approved which content (the digest of each document, see
:mod:`interlock.workspace.approvals`), in which role, and when. Each entry is sealed:
``seal`` is the SHA-256 of its other fields, so an entry changed by hand (a digest
"updated" to match an edited document, say) is seen and does not count. A seal is no
signature: anyone can compute it, or run ``interlock approve --by`` with another name.
What protects the record from a pull request that forges one is review of
``approvals.yaml`` itself (see ``docs/approvals.md``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interlock.atomic_file import write_atomically
from interlock.errors import InputError, StoreError, UsageError, YamlError
from interlock.regular_file import read_regular_file
from interlock.safe_yaml import dump_yaml, format_timestamp, load_yaml
from interlock.workspace.approvals import COVERED_DOCUMENTS, combined_digest

__all__ = [
    "MAX_RECORD_BYTES",
    "Approval",
    "ApprovalRecord",
    "append_approval",
    "new_approval",
    "read_record",
]

MAX_RECORD_BYTES = 1024 * 1024
"""The largest record read: thousands of approvals; a larger file is refused."""

_HEADER = (
    "# interlock: approvals record, format 1. Written by `interlock approve`; each entry is\n"
    "# sealed, so an entry edited by hand no longer counts. See docs/approvals.md.\n"
)
_FORMAT = 1
_ENTRY_KEYS = ("role", "by", "at", "comment", "digest", "documents", "seal")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_FORMAT_HINT = "the record's format is described in docs/approvals.md"
_RESTORE_HINT = (
    "restore approvals.yaml from version control, or delete the damaged entries and "
    "approve again with `interlock approve`"
)


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
