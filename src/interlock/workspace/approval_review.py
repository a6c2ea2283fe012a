"""The approvals record judged against the documents as they are and the roles required.

Each entry is ``current`` (it approved exactly the documents on disk), ``stale`` (one
changed, appeared or went since) or ``unsealed`` (edited by hand; it does not count),
and each required role has its current approval, its latest stale one, or neither.
From that follow the spec's ``status`` and ``approvers``, which the folder writes into
the front matter (:mod:`interlock.folders.approvals`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from interlock.workspace.approval_record import Approval, ApprovalRecord
from interlock.workspace.approval_roles import role_key
from interlock.workspace.approvals import COVERED_DOCUMENTS

__all__ = [
    "ApprovalReview",
    "ApprovalState",
    "EntryReview",
    "RecordedApproval",
    "RoleReview",
    "review_approvals",
]


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

    def to_dict(self, record: str) -> dict[str, Any]:
        """Return the review as ``interlock approvals --json`` prints it; ``record`` is
        the record's path as shown."""
        return {
            "record": record,
            "status": self.status,
            "complete": self.complete,
            "required": None if self.required is None else list(self.required),
            "missing": list(self.missing),
            "stale": [role.role for role in self.stale],
            "approvers": list(self.approvers),
            "documents": dict(self.digests),
            "approvals": [
                {
                    **_approval_data(entry.approval),
                    "state": entry.state.value,
                    "changed": list(entry.changed),
                    "required": entry.required,
                }
                for entry in self.entries
            ],
            "roles": [
                {
                    "role": role.role,
                    "state": role.state,
                    "by": role.current.by if role.current is not None else None,
                }
                for role in self.roles
            ],
        }


def review_approvals(
    record: ApprovalRecord, required: Sequence[str] | None, digests: Mapping[str, str]
) -> ApprovalReview:
    """Judge each approval of ``record`` against ``digests``, the documents as they are."""
    keys = {role_key(role) for role in required or ()}
    entries = tuple(
        _judge(approval, digests, required=role_key(approval.role) in keys)
        for approval in record.approvals
    )
    roles = []
    for role in required or ():
        mine = [e for e in entries if role_key(e.approval.role) == role_key(role)]
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


@dataclass(frozen=True, slots=True)
class RecordedApproval:
    """What :meth:`IntegrationFolder.approve` recorded, and where things stand after it."""

    approval: Approval
    review: ApprovalReview
    """The record judged after the approval was added."""
    record_path: Path
    stamped: Path | None
    """The spec whose front matter now carries the record, or ``None`` if unchanged."""


def _approval_data(approval: Approval) -> dict[str, Any]:
    return {
        "role": approval.role,
        "by": approval.by,
        "at": approval.at.isoformat().replace("+00:00", "Z"),
        "comment": approval.comment,
        "digest": approval.digest,
        "documents": dict(approval.documents),
        "line": approval.line,
    }
