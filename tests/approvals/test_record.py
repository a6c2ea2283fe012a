"""What an approval's digest covers, how the record is read, and what a hand edit does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.errors import InputError, UsageError
from interlock.render.documents import DOCUMENTS
from interlock.workspace.approval_record import (
    ApprovalRecord,
    append_approval,
    new_approval,
    read_record,
)
from interlock.workspace.approval_review import ApprovalState, review_approvals
from interlock.workspace.approval_roles import match_role
from interlock.workspace.approvals import (
    APPROVALS_FILE,
    COVERED_DOCUMENTS,
    approval_text,
    document_digests,
    stamp_front_matter,
)

SPEC = """\
---
id: spec-integration-orders-001
status: draft
priority: medium
updatedAt: 2024-05-01
approvers: []
tags: [integration]
---

# Orders Integration Specification

## Overview and Context

Orders are charged through Stripe.
"""
POINTS = """\
# Integration Points - Orders

**Created**: 2024-05-01
**Last Updated**: 2024-05-01
**Review Status**: DRAFT

## Overview

Stripe is called with a 10 s timeout.
"""
PLAN = "# Plan\n\n## Tasks\n\n- [ ] Call Stripe\n- [ ] Handle its failures\n"
WHEN = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
ROLES = ("Security team", "Head of architecture")

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda text: text.strip() != "")


def folder_with(tmp_path: Path, spec: str = SPEC) -> Path:
    folder = tmp_path / "orders"
    folder.mkdir(exist_ok=True)
    (folder / "integration-spec.md").write_text(spec, encoding="utf-8")
    (folder / "integration-points.md").write_text(POINTS, encoding="utf-8")
    (folder / "plan.md").write_text(PLAN, encoding="utf-8")
    return folder


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from(["draft", "review", "approved", "implemented"]),
    approvers=st.lists(names, max_size=4),
    updated=st.dates().map(str),
)
def test_what_approving_and_rendering_again_change_is_not_covered(
    status: str, approvers: list[str], updated: str
) -> None:
    stamped = stamp_front_matter(SPEC, status=status, approvers=approvers)
    stamped = stamped.replace("updatedAt: 2024-05-01", f"updatedAt: {updated}")
    assert approval_text("integration-spec.md", stamped) == approval_text(
        "integration-spec.md", SPEC
    )
    points = POINTS.replace("**Review Status**: DRAFT", f"**Review Status**: {status.upper()}")
    points = points.replace("**Last Updated**: 2024-05-01", f"**Last Updated**: {updated}")
    assert approval_text("integration-points.md", points) == approval_text(
        "integration-points.md", POINTS
    )


@settings(max_examples=100, deadline=None)
@given(
    document=st.sampled_from(["integration-spec.md", "integration-points.md", "plan.md"]),
    where=st.floats(min_value=0, max_value=1),
    inserted=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).filter(
        lambda text: text.strip() != ""
    ),
)
def test_any_edit_of_a_documents_body_stales_its_approval(
    tmp_path_factory: pytest.TempPathFactory, document: str, where: float, inserted: str
) -> None:
    folder = folder_with(tmp_path_factory.mktemp("approval"))
    record = read_record(folder / APPROVALS_FILE)
    approval = new_approval("Security team", "Dana", document_digests(folder), at=WHEN)
    path = folder / document
    text = path.read_text(encoding="utf-8")
    body = text.index("\n## ") + 1  # below the header fields and the front matter
    at = body + round(where * (len(text) - body))
    path.write_text(text[:at] + inserted + text[at:], encoding="utf-8")
    review = review_approvals(
        replace(record, approvals=(approval,)), ROLES, document_digests(folder)
    )
    (entry,) = review.entries
    assert entry.state is ApprovalState.STALE
    assert entry.changed == (f"{document} changed",)
    assert review.roles[0].stale is not None and review.roles[0].current is None


@settings(max_examples=60, deadline=None)
@given(
    field=st.sampled_from(["role", "by", "comment", "digest", "at"]),
    replacement=names,
)
def test_a_sealed_entry_changed_in_any_field_no_longer_counts(field: str, replacement: str) -> None:
    documents = {"integration-spec.md": "sha256:" + "a" * 64}
    approval = new_approval("Security team", "Dana", documents, at=WHEN, comment="fine")
    assert approval.sealed
    changes: dict[str, object] = {
        "role": replacement,
        "by": replacement,
        "comment": replacement,
        "digest": "sha256:" + "b" * 64,
        "at": datetime(2030, 1, 1, tzinfo=UTC),
    }
    forged = replace(approval, **{field: changes[field]})
    if getattr(forged, field) == getattr(approval, field):
        return  # the "change" left the field as it was
    assert not forged.sealed


def test_the_record_is_appended_to_and_reads_back(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    path = folder / APPROVALS_FILE
    digests = document_digests(folder)
    first = new_approval("Security team", "Dana Ortiz", digests, at=WHEN, comment="a: b\n# c")
    append_approval(read_record(path), first)
    before = path.read_text(encoding="utf-8")
    second = new_approval("Head of architecture", "Zoë", digests, at=WHEN)
    append_approval(read_record(path), second)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # earlier entries are kept byte for byte
    record = read_record(path)
    assert [a.role for a in record.approvals] == ["Security team", "Head of architecture"]
    assert record.approvals[0].comment == "a: b\n# c"
    assert all(approval.sealed for approval in record.approvals)
    assert review_approvals(record, ROLES, digests).complete


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("approvals:\n  - role: [x\n", 3, "invalid YAML"),
        ("- a list\n", 1, "expected a mapping with format and a list of approvals"),
        ("format: 1\nsigned: yes\n", 2, "unknown field 'signed'"),
        ("format: 2\napprovals: []\n", 1, "format 2 is not one this Interlock reads"),
        ("approvals:\n  - role: Security team\n", 2, "approval 1: missing field 'by'"),
        (
            "approvals:\n  - {role: x, by: y, at: yesterday, comment: '', digest: d,"
            " documents: {}, seal: s}\n",
            2,
            "approval 1: at must be a UTC timestamp",
        ),
    ],
)
def test_a_malformed_record_names_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / APPROVALS_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_record(path)
    assert raised.value.path == path
    assert raised.value.line == line
    assert message in raised.value.message


def test_a_record_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / APPROVALS_FILE
    path.write_bytes(b"format: 1\napprovals:\n  - role: \xff\n")
    with pytest.raises(InputError) as raised:
        read_record(path)
    assert raised.value.line == 3


def test_a_missing_record_is_empty(tmp_path: Path) -> None:
    assert read_record(tmp_path / APPROVALS_FILE) == ApprovalRecord(tmp_path / APPROVALS_FILE)


@pytest.mark.parametrize(
    ("given_role", "expected"),
    [
        ("security team", "Security team"),
        ("SECURITY-TEAM", "Security team"),
        ("  Security   team ", "Security team"),
    ],
)
def test_a_role_is_matched_ignoring_case_spacing_and_slug(given_role: str, expected: str) -> None:
    assert match_role(given_role, ROLES) == expected


def test_an_unknown_role_suggests_the_nearest() -> None:
    with pytest.raises(UsageError, match="did you mean 'Head of architecture'"):
        match_role("head of architcture", ROLES)
    with pytest.raises(UsageError) as raised:
        match_role("finance", ROLES)
    assert "did you mean" not in raised.value.message
    assert "'Security team', 'Head of architecture'" in raised.value.hint


def test_the_stamp_changes_only_status_and_approvers() -> None:
    stamped = stamp_front_matter(SPEC, status="approved", approvers=["Dana: Ortiz", "Zoë"])
    assert stamped.splitlines()[2] == "status: approved"
    assert stamped.splitlines()[5] == "approvers: ['Dana: Ortiz', Zoë]"
    assert [
        line for line in stamped.splitlines() if "status" not in line and "approvers" not in line
    ] == [line for line in SPEC.splitlines() if "status" not in line and "approvers" not in line]


def test_an_approval_covers_every_rendered_document() -> None:
    assert tuple(document.file for document in DOCUMENTS) == COVERED_DOCUMENTS
