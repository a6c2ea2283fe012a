"""Drift: a newer document of a system compared with the snapshot of the last run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interlock.research.drift import Change, compare_snapshots
from interlock.research.extract import extract_research
from interlock.research.openapi import load_openapi
from interlock.research.snapshot import snapshot_text
from support.drift_documents import V1, V2


def snapshot(tmp_path: Path, text: str, name: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    research = extract_research(load_openapi(str(path)), system_name="Billing")
    loaded: dict[str, Any] = json.loads(snapshot_text(research))
    return loaded


def test_each_kind_of_change_is_found_and_weighed(tmp_path: Path) -> None:
    old, new = snapshot(tmp_path, V1, "v1.yaml"), snapshot(tmp_path, V2, "v2.yaml")
    changes = {
        (change.subject, change.what): change.breaking for change in compare_snapshots(old, new)
    }
    assert changes == {
        ("GET /invoices", "new required query parameter 'account'"): True,
        ("GET /invoices", "deprecated"): False,
        ("GET /invoices", "new response 429"): False,
        ("POST /invoices", "response 201 no longer documented"): True,
        ("POST /invoices", "new response 202"): False,
        ("POST /invoices", "body field 'customer' became required"): True,
        ("POST /invoices", "new required body field 'currency'"): True,
        ("POST /invoices", "new optional body field 'note'"): False,
        ("POST /invoices", "new optional body field 'reference'"): False,
        ("POST /invoices", "body field 'memo' removed"): False,
        ("POST /invoices", "response 400 no longer documented"): False,
        ("GET /invoices/{id}", "moved to GET /v2/invoices/{id}"): True,
        ("POST /refunds", "removed"): True,
        ("POST /credits", "new operation"): False,
        ("key", "security scheme changed"): True,
        ("servers", "base URL https://api.billing.example.com/v1 removed"): True,
        ("servers", "new base URL https://api.billing.example.com/v2"): False,
    }


def test_breaking_changes_come_first(tmp_path: Path) -> None:
    old, new = snapshot(tmp_path, V1, "v1.yaml"), snapshot(tmp_path, V2, "v2.yaml")
    flags = [change.breaking for change in compare_snapshots(old, new)]
    assert flags == sorted(flags, reverse=True)


def test_only_the_operations_the_integration_uses_are_compared(tmp_path: Path) -> None:
    old, new = snapshot(tmp_path, V1, "v1.yaml"), snapshot(tmp_path, V2, "v2.yaml")
    used = {"GET /invoices/{id}"}
    subjects = {change.subject for change in compare_snapshots(old, new, used=used)}
    assert subjects == {"GET /invoices/{id}", "key", "servers"}


def test_a_snapshot_from_before_bodies_were_read_reports_no_body_change(
    tmp_path: Path,
) -> None:
    old, new = snapshot(tmp_path, V1, "v1.yaml"), snapshot(tmp_path, V2, "v2.yaml")
    for operation in old["operations"]:
        del operation["body_required"], operation["body_optional"]
    assert not [change for change in compare_snapshots(old, new) if "body" in change.what]


def test_the_same_document_has_no_drift(tmp_path: Path) -> None:
    old = snapshot(tmp_path, V1, "v1.yaml")
    assert compare_snapshots(old, snapshot(tmp_path, V1, "again.yaml")) == []


_NAME = st.text(alphabet="abcdefghij", min_size=1, max_size=4)
_OPERATION = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["GET", "POST", "DELETE"]),
        "path": _NAME.map(lambda name: f"/{name}"),
        "operation_id": _NAME,
        "deprecated": st.booleans(),
        "parameters": st.lists(
            st.fixed_dictionaries(
                {
                    "name": _NAME,
                    "location": st.sampled_from(["query", "header"]),
                    "required": st.booleans(),
                }
            ),
            max_size=3,
        ),
        "responses": st.lists(
            st.fixed_dictionaries({"status": st.sampled_from(["200", "201", "404"])}), max_size=3
        ),
        "body_required": st.lists(_NAME, max_size=3),
        "body_optional": st.lists(_NAME, max_size=3),
    }
)


@given(st.lists(_OPERATION, max_size=6))
def test_a_snapshot_compared_with_itself_has_no_changes(operations: list[dict[str, Any]]) -> None:
    snapshot = {"operations": operations, "auth": [], "servers": []}
    assert compare_snapshots(snapshot, snapshot) == []


def test_a_change_reads_as_json() -> None:
    assert Change(True, "POST /refunds", "removed").to_dict() == {
        "subject": "POST /refunds",
        "change": "removed",
        "breaking": True,
    }
