"""``interlock approve`` and ``interlock approvals``, and what production validation says
of the approvals they record."""

from __future__ import annotations

import json
from pathlib import Path

from approvals.conftest import ROLES, approval_findings, run_approval_rule_only
from interlock.safe_yaml import load_yaml
from support.cli_runs import run_cli

SPEC = "specs/orders/integration-spec.md"
POINTS = "specs/orders/integration-points.md"
RECORD = "specs/orders/approvals.yaml"


def approve_all(by: str = "Dana Ortiz") -> None:
    for role in ROLES:
        done = run_cli("approve", "orders", "--role", role, "--by", by)
        assert done.exit_code == 0, done.output


def front_matter(root: Path) -> dict[str, object]:
    text = (root / SPEC).read_text(encoding="utf-8")
    block = text.split("---\n")[1]
    value = load_yaml(block).value
    assert isinstance(value, dict)
    return value


def test_an_edited_approved_document_fails_production_until_approved_again(rendered: Path) -> None:
    run_approval_rule_only(rendered)
    approve_all()
    passed = run_cli("validate")
    assert passed.exit_code == 0, passed.output
    assert front_matter(rendered)["status"] == "approved"
    assert front_matter(rendered)["approvers"] == ["Dana Ortiz"]

    with (rendered / POINTS).open("a", encoding="utf-8") as points:
        points.write("\nStripe is called without a timeout after all.\n")
    failed = run_cli("validate")
    assert failed.exit_code == 1
    stale = [line for line in failed.stdout.splitlines() if "is stale" in line]
    assert len(stale) == len(ROLES)
    assert any("role 'Security team' by Dana Ortiz" in line for line in stale)
    assert all("integration-points.md changed" in line for line in stale)
    assert "approve again: interlock approve orders --role 'Security team'" in failed.stdout

    approve_all(by="Sam Lee")
    again = run_cli("validate")
    assert again.exit_code == 0, again.output
    assert front_matter(rendered)["approvers"] == ["Sam Lee"]


def test_a_hand_typed_approval_without_a_record_fails_production(rendered: Path) -> None:
    spec = rendered / SPEC
    text = spec.read_text(encoding="utf-8")
    forged = text.replace("status: draft", "status: approved").replace(
        "approvers: []", "approvers: [Head of architecture, Security team]"
    )
    assert forged != text
    spec.write_text(forged, encoding="utf-8")
    messages = [str(finding["message"]) for finding in approval_findings(SPEC)]
    assert any("claims approval, but no approval is recorded" in m for m in messages)
    assert any("approvers lists 'Security team', who has no approval" in m for m in messages)
    assert sum("has not approved this spec" in m for m in messages) == len(ROLES)


def test_approve_names_what_was_approved_and_what_is_missing(rendered: Path) -> None:
    done = run_cli("approve", "orders", "--role", "security-team", "--by", "Dana Ortiz")
    assert done.exit_code == 0, done.output
    assert "Approved as Security team by Dana Ortiz: integration-spec.md, " in done.stdout
    assert "plan.md (sha256:" in done.stdout
    assert "1 of 4 required roles approved" in done.stdout
    assert "missing: Head of architecture, Payments team lead, Platform team lead" in done.stdout
    assert front_matter(rendered)["status"] == "review"


def test_an_unknown_role_is_refused_with_the_nearest_one(rendered: Path) -> None:
    done = run_cli("approve", "orders", "--role", "securty team")
    assert done.exit_code == 2
    assert "'securty team' is not a role that must approve" in done.stderr
    assert "did you mean 'Security team'?" in done.stderr
    assert not (rendered / RECORD).exists()


def test_approving_documents_never_rendered_is_refused(rendered: Path) -> None:
    for name in ("integration-spec.md", ".interlock-rendered.json"):
        (rendered / "specs" / "orders" / name).unlink()
    done = run_cli("approve", "orders", "--role", "Security team")
    assert done.exit_code == 2
    assert "were never rendered" in done.stderr
    assert "interlock render orders" in done.stderr
    assert not (rendered / RECORD).exists()


def test_rendering_again_keeps_the_approvals_and_the_spec_as_rendered(rendered: Path) -> None:
    approve_all()
    done = run_cli("render", "orders", "--author", "Dana Ortiz")
    assert done.exit_code == 0, done.output  # the stamped spec is not a hand edit
    listed = json.loads(run_cli("approvals", "orders", "--json").stdout)
    assert {entry["state"] for entry in listed["approvals"]} == {"current"}
    assert listed["complete"] is True


def test_approvals_lists_each_approval_with_its_state(rendered: Path) -> None:
    run_cli("approve", "orders", "--role", "Security team", "--by", "Dana Ortiz")
    (rendered / "specs/orders/plan.md").write_text("# Plan\n\nRewritten.\n", encoding="utf-8")
    run_cli(
        "approve", "orders", "--role", "Head of architecture", "--by", "Ann Lee", "--comment", "ok"
    )
    text = run_cli("approvals", "orders")
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == f"{RECORD}:"
    assert lines[1].startswith("  stale    Security team by Dana Ortiz")
    assert lines[1].endswith("since then: plan.md changed")
    assert lines[2].startswith("  current  Head of architecture by Ann Lee")
    assert lines[3].strip() == "ok"
    assert "stale (approve again after review): Security team" in lines[-1]

    listed = json.loads(run_cli("approvals", "orders", "--json").stdout)
    assert [entry["state"] for entry in listed["approvals"]] == ["stale", "current"]
    assert listed["approvals"][0]["changed"] == ["plan.md changed"]
    assert listed["missing"] == ["Payments team lead", "Platform team lead"]
    assert listed["stale"] == ["Security team"]
    assert listed["status"] == "review"


def test_ticking_the_plan_does_not_stale_an_approval(rendered: Path) -> None:
    approve_all()
    plan = rendered / "specs/orders/plan.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("- [ ]", "- [x]", 3), "utf-8")
    assert approval_findings(SPEC) == []


def test_a_forged_digest_in_the_record_does_not_count(rendered: Path) -> None:
    approve_all()
    record = rendered / RECORD
    with (rendered / POINTS).open("a", encoding="utf-8") as points:
        points.write("\nAn edit nobody reviewed.\n")
    # The forger copies the new digest of integration-points.md into every entry.
    listed = json.loads(run_cli("approvals", "orders", "--json").stdout)
    new_digest = listed["documents"]["integration-points.md"]
    old_digest = listed["approvals"][0]["documents"]["integration-points.md"]
    record.write_text(
        record.read_text(encoding="utf-8").replace(old_digest, new_digest), encoding="utf-8"
    )
    messages = [str(finding["message"]) for finding in approval_findings(SPEC)]
    unsealed = [m for m in messages if "its seal does not match" in m]
    assert len(unsealed) == len(ROLES)
    assert any(
        m.startswith(f"{RECORD}:5: the approval of role 'Head of architecture' by Dana Ortiz")
        for m in unsealed
    )
    assert sum("has not approved this spec" in m for m in messages) == len(ROLES)


def test_a_malformed_record_is_reported_with_its_file_and_line(rendered: Path) -> None:
    approve_all()
    record = rendered / RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("    by: Dana Ortiz\n", "    by: [Dana]\n", 1), "utf-8")
    messages = [str(finding["message"]) for finding in approval_findings(SPEC)]
    assert messages == [f"{RECORD}:6: approval 1: by must be text; no approval in it counts"]
    done = run_cli("approvals", "orders")
    assert done.exit_code == 2
    assert f"{RECORD}:6: error: approval 1: by must be text" in done.stderr
    refused = run_cli("approve", "orders", "--role", "Security team")
    assert refused.exit_code == 2
    assert record.read_text(encoding="utf-8") != text  # the hand edit is kept, not replaced


def test_a_warm_cache_does_not_hide_a_new_record(rendered: Path) -> None:
    run_approval_rule_only(rendered)
    assert run_cli("validate", "--cache").exit_code == 1
    approve_all()
    assert run_cli("validate", "--cache").exit_code == 0
    (rendered / RECORD).unlink()
    assert run_cli("validate", "--cache").exit_code == 1
