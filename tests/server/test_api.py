"""The team server's REST API, over SQLite and over PostgreSQL.

Each test takes the ``team`` and ``client`` fixtures of this folder's conftest, so it
runs once with the server's state in the workspace's SQLite file and once in a fresh
PostgreSQL database (skipped when the machine has no PostgreSQL server). What the API
changes is checked where a user would see it: in the answers file on disk, in the
documents, and in the audit log.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from interlock.errors import UsageError
from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch
from interlock.server.roles import Role
from interlock.server.state import ServerState
from support.team_server import Team

NAME = "orders"
API = f"/api/v1/integrations/{NAME}"
APPROVER_ROLE = "Head of architecture"
HOSTILE = "<script>alert(1)</script>"


def answers_file(team: Team) -> Path:
    """The answers file of ``orders`` in the team's workspace."""
    return team.root / "specs" / NAME / "interview.yaml"


def saved_answers(team: Team) -> dict[str, Any]:
    """The entries of the answers file on disk: question id → value, by, skipped..."""
    sheet = yaml.safe_load(answers_file(team).read_text(encoding="utf-8"))
    answers: dict[str, Any] = sheet["answers"] or {}
    return answers


def begin(client: TestClient, team: Team) -> dict[str, Any]:
    """Start the interview of ``orders`` as the answerer; return its first round."""
    created = client.post(
        "/api/v1/integrations", json={"name": NAME}, headers=team.headers("answerer")
    )
    assert created.status_code == 201, created.text
    data: dict[str, Any] = created.json()
    return data


def post_answers(
    client: TestClient, team: Team, body: dict[str, Any], role: str = "answerer"
) -> Any:
    """POST ``body`` to the answers of ``orders`` with the token of ``role``."""
    return client.post(f"{API}/answers", json=body, headers=team.headers(role))


class Tags(HTMLParser):
    """The elements of an HTML text, and their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


# -- integrations --------------------------------------------------------------------


def test_an_integration_is_created_once_and_listed(client: TestClient, team: Team) -> None:
    first = begin(client, team)
    assert first["name"] == NAME
    assert first["complete"] is False
    assert first["questions"] and all(q["phase"] == "problem" for q in first["questions"])
    assert first["revision"].startswith("sha256:")
    assert answers_file(team).is_file()

    again = client.post("/api/v1/integrations", json={"name": NAME}, headers=team.headers("admin"))
    assert again.status_code == 409
    assert NAME in again.json()["detail"]

    listed = client.get("/api/v1/integrations", headers=team.headers("viewer"))
    assert listed.status_code == 200
    assert [entry["name"] for entry in listed.json()["integrations"]] == [NAME]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Bad Name!"}, "name"),
        ({"name": "../escape"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "fine", "depth": "bottomless"}, "depth"),
        ({"name": "fine", "colour": "blue"}, "colour"),
    ],
    ids=["not-a-slug", "traversal", "empty", "unknown-depth", "unknown-field"],
)
def test_a_bad_new_integration_is_refused_field_by_field(
    client: TestClient, team: Team, body: dict[str, Any], field: str
) -> None:
    refused = client.post("/api/v1/integrations", json=body, headers=team.headers("answerer"))
    assert refused.status_code == 422, refused.text
    detail = refused.json()["detail"]
    assert [entry["loc"] for entry in detail] == [["body", field]]
    assert all(entry["msg"] for entry in detail)
    assert not (team.root / "specs" / "fine").exists()
    assert not (team.root / "escape").exists()


def test_an_unknown_template_is_refused_and_leaves_nothing_behind(
    client: TestClient, team: Team
) -> None:
    refused = client.post(
        "/api/v1/integrations",
        json={"name": NAME, "template": "no-such-bank"},
        headers=team.headers("answerer"),
    )
    assert refused.status_code == 422, refused.text
    [entry] = refused.json()["detail"]
    assert entry["loc"] == ["body", "template"]
    assert "no-such-bank" in entry["msg"]
    assert "integration" in entry["hint"]
    assert not (team.root / "specs" / NAME).exists()
    assert client.get("/api/v1/integrations", headers=team.headers("viewer")).json() == {
        "integrations": []
    }
    assert begin(client, team)["name"] == NAME


def test_status_and_next_round_carry_the_revision(client: TestClient, team: Team) -> None:
    first = begin(client, team)
    status = client.get(API, headers=team.headers("viewer"))
    assert status.status_code == 200
    data = status.json()
    assert data["name"] == NAME
    assert data["progress"]["answered"] == 0
    assert data["revision"] == first["revision"]
    nxt = client.get(f"{API}/next", headers=team.headers("viewer")).json()
    assert nxt["revision"] == first["revision"]
    assert [q["id"] for q in nxt["questions"]] == [q["id"] for q in first["questions"]]
    assert (
        client.get("/api/v1/integrations/nothing-here", headers=team.headers("viewer")).status_code
        == 404
    )


# -- answers -------------------------------------------------------------------------


def test_answering_a_round_moves_progress_and_records_who(client: TestClient, team: Team) -> None:
    first = begin(client, team)
    saved = post_answers(
        client,
        team,
        {
            "answers": {
                "problem.summary": "Take orders from the shop and charge them with Stripe."
            },
            "revision": first["revision"],
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["accepted"] == ["problem.summary"]
    assert saved.json()["revision"] != first["revision"]
    named = post_answers(
        client,
        team,
        {"answers": {"problem.existing": "new"}, "by": "Dana Ortiz"},
    )
    assert named.status_code == 200, named.text
    assert named.json()["progress"]["answered"] == 2

    on_disk = saved_answers(team)
    assert (
        on_disk["problem.summary"]["value"]
        == "Take orders from the shop and charge them with Stripe."
    )
    assert on_disk["problem.summary"]["by"] == "answerer"
    assert on_disk["problem.existing"] == {
        **on_disk["problem.existing"],
        "value": "new",
        "by": "Dana Ortiz",
    }
    status = client.get(API, headers=team.headers("viewer")).json()
    assert status["progress"]["answered"] == 2


def test_a_batch_with_unknown_ids_is_refused_whole(client: TestClient, team: Team) -> None:
    begin(client, team)
    before = answers_file(team).read_bytes()
    refused = post_answers(
        client,
        team,
        {
            "answers": {
                "problem.summry": "misspelt",
                "no.such.question": "unknown",
                "problem.why": "Orders are taken by hand today; a third of them are late.",
            }
        },
    )
    assert refused.status_code == 422, refused.text
    detail = {tuple(entry["loc"]): entry for entry in refused.json()["detail"]}
    assert set(detail) == {
        ("body", "answers", "problem.summry"),
        ("body", "answers", "no.such.question"),
    }
    assert "problem.summary" in detail["body", "answers", "problem.summry"]["hint"]
    assert "did you mean" in detail["body", "answers", "problem.summry"]["hint"]
    assert all(entry["msg"] for entry in detail.values())
    assert answers_file(team).read_bytes() == before
    assert client.get(API, headers=team.headers("viewer")).json()["progress"]["answered"] == 0


@pytest.mark.parametrize(
    ("question", "value", "words"),
    [
        ("problem.existing", "banana", "not an option"),
        ("problem.existing", 42, "not an option"),
        ("systems", {"stripe": "external-api"}, "list of records"),
    ],
    ids=["choice-not-an-option", "choice-a-number", "entities-a-mapping"],
)
def test_a_value_of_the_wrong_kind_is_refused(
    client: TestClient, team: Team, question: str, value: Any, words: str
) -> None:
    begin(client, team)
    before = answers_file(team).read_bytes()
    refused = post_answers(
        client, team, {"answers": {question: value, "problem.summary": "A fine summary of it."}}
    )
    assert refused.status_code == 422, refused.text
    [entry] = refused.json()["detail"]
    assert entry["loc"] == ["body", "answers", question]
    assert words in entry["msg"]
    assert answers_file(team).read_bytes() == before


def test_a_stale_revision_is_refused_and_nothing_is_saved(client: TestClient, team: Team) -> None:
    first = begin(client, team)
    fresh = post_answers(
        client,
        team,
        {
            "answers": {"problem.summary": "The first writer's summary."},
            "revision": first["revision"],
        },
    )
    assert fresh.status_code == 200, fresh.text
    after_first = answers_file(team).read_bytes()
    stale = post_answers(
        client,
        team,
        {
            "answers": {"problem.summary": "The second writer's summary."},
            "revision": first["revision"],
        },
    )
    assert stale.status_code == 409, stale.text
    assert "changed" in stale.json()["detail"]["message"]
    assert answers_file(team).read_bytes() == after_first
    assert saved_answers(team)["problem.summary"]["value"] == "The first writer's summary."


def test_a_skip_becomes_an_open_question_with_its_owner(client: TestClient, team: Team) -> None:
    begin(client, team)
    skipped = client.post(
        f"{API}/skips",
        json={"id": "problem.why", "reason": "ask finance", "owner": "Finance lead"},
        headers=team.headers("answerer"),
    )
    assert skipped.status_code == 200, skipped.text
    assert skipped.json()["skipped"] == ["problem.why"]
    status = client.get(API, headers=team.headers("viewer")).json()
    [open_question] = [entry for entry in status["open_questions"] if entry["id"] == "problem.why"]
    assert (open_question["reason"], open_question["owner"]) == ("ask finance", "Finance lead")
    assert open_question["question"].startswith("Why is it needed")
    assert status["progress"]["skipped"] == 1
    entry = saved_answers(team)["problem.why"]
    assert (entry["skipped"], entry["reason"], entry["owner"], entry["by"]) == (
        True,
        "ask finance",
        "Finance lead",
        "answerer",
    )


@pytest.mark.parametrize(
    "body",
    [
        {"id": "problem.why", "reason": ""},
        {"id": "problem.why", "reason": "   "},
        {"id": "problem.why"},
        {"id": "problem.whyy", "reason": "a typo"},
    ],
    ids=["empty-reason", "blank-reason", "no-reason", "unknown-id"],
)
def test_a_bad_skip_is_refused_and_nothing_is_saved(
    client: TestClient, team: Team, body: dict[str, Any]
) -> None:
    begin(client, team)
    before = answers_file(team).read_bytes()
    refused = client.post(f"{API}/skips", json=body, headers=team.headers("answerer"))
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"][:2] in (["body", "reason"], ["body", "id"])
    assert answers_file(team).read_bytes() == before


# -- documents -----------------------------------------------------------------------


def render(client: TestClient, team: Team) -> dict[str, Any]:
    rendered = client.post(f"{API}/render", headers=team.headers("answerer"))
    assert rendered.status_code == 200, rendered.text
    data: dict[str, Any] = rendered.json()
    return data


def test_render_writes_documents_that_are_listed_and_served(client: TestClient, team: Team) -> None:
    begin(client, team)
    post_answers(client, team, {"answers": {"problem.summary": "Take orders and charge them."}})
    rendered = render(client, team)
    folder = team.root / "specs" / NAME
    on_disk = sorted(path.name for path in folder.glob("*.md"))
    assert rendered["written"] == on_disk
    assert "integration-spec.md" in on_disk
    assert rendered["open_questions"] > 0
    again = render(client, team)
    assert (again["written"], again["unchanged"]) == ([], on_disk)

    listed = client.get(f"{API}/documents", headers=team.headers("viewer"))
    assert listed.status_code == 200
    assert [entry["name"] for entry in listed.json()["documents"]] == on_disk
    assert all(entry["digest"].startswith("sha256:") for entry in listed.json()["documents"])

    markdown = client.get(f"{API}/documents/integration-spec.md", headers=team.headers("viewer"))
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text == (folder / "integration-spec.md").read_text(encoding="utf-8")
    assert "Take orders and charge them." in markdown.text

    html = client.get(
        f"{API}/documents/integration-spec.md",
        params={"format": "html"},
        headers=team.headers("viewer"),
    )
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "Take orders and charge them." in html.text
    assert {"h1", "h2", "p"} <= set(Tags(html.text).tags)
    bad_format = client.get(
        f"{API}/documents/integration-spec.md",
        params={"format": "pdf"},
        headers=team.headers("viewer"),
    )
    assert bad_format.status_code == 422


@pytest.mark.parametrize(
    "document",
    [
        "nothing.md",
        "interview.yaml",
        ".interview.yaml.lock",
        "../interview.yaml",
        "..%2Finterview.yaml",
        "%2e%2e%2finterview.yaml",
        "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "..%252F..%252Fetc%252Fpasswd",
        "%2Fetc%2Fpasswd",
    ],
)
def test_only_the_folders_own_documents_are_served(
    client: TestClient, team: Team, document: str
) -> None:
    begin(client, team)
    render(client, team)
    found = client.get(f"{API}/documents/{document}", headers=team.headers("viewer"))
    assert found.status_code == 404, found.text
    assert "answers file" not in found.text
    assert "root:" not in found.text


def test_a_linked_document_is_neither_listed_nor_served(
    client: TestClient, team: Team, tmp_path: Path
) -> None:
    begin(client, team)
    render(client, team)
    folder = team.root / "specs" / NAME
    # A link to a file of the workspace itself: not one of the folder's own documents.
    (team.root / "notes.md").write_text("# Notes kept beside the specs\n", encoding="utf-8")
    (folder / "inside.md").symlink_to(team.root / "notes.md")
    listed = client.get(f"{API}/documents", headers=team.headers("viewer"))
    assert listed.status_code == 200
    assert "inside.md" not in [entry["name"] for entry in listed.json()["documents"]]
    inside = client.get(f"{API}/documents/inside.md", headers=team.headers("viewer"))
    assert inside.status_code == 404
    assert "Notes kept" not in inside.text

    # A link out of the workspace: the folder is refused whole, naming the link.
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret outside the workspace\n", encoding="utf-8")
    (folder / "leak.md").symlink_to(secret)
    for format_ in ("markdown", "html"):
        leaked = client.get(
            f"{API}/documents/leak.md", params={"format": format_}, headers=team.headers("viewer")
        )
        assert leaked.status_code in (404, 409), leaked.text
        assert "Secret outside" not in leaked.text
    listed = client.get(f"{API}/documents", headers=team.headers("viewer"))
    assert "Secret outside" not in listed.text
    if listed.status_code == 200:
        assert "leak.md" not in [entry["name"] for entry in listed.json()["documents"]]
    else:
        assert listed.status_code == 409
        assert "leak.md" in listed.json()["detail"]["message"]


def test_validate_reports_as_the_command_line_does(client: TestClient, team: Team) -> None:
    begin(client, team)
    render(client, team)
    for body, paths in (({"integration": NAME}, [f"specs/{NAME}"]), ({}, [])):
        answered = client.post("/api/v1/validate", json=body, headers=team.headers("viewer"))
        assert answered.status_code == 200, answered.text
        report = answered.json()
        command = subprocess.run(
            [sys.executable, "-m", "interlock", "validate", *paths, "--format", "json"],
            cwd=team.root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert command.returncode in (0, 1), command.stderr
        assert report == json.loads(command.stdout)
        assert set(report) >= {"files", "findings", "summary"}
        assert report["findings"], "a draft rendered from one answer has findings"
        assert set(report["findings"][0]) >= {
            "path",
            "line",
            "column",
            "rule",
            "severity",
            "message",
            "fix",
        }
    unknown = client.post(
        "/api/v1/validate", json={"integration": "nothing"}, headers=team.headers("viewer")
    )
    assert unknown.status_code == 404
    bad_preset = client.post(
        "/api/v1/validate", json={"preset": "lenient"}, headers=team.headers("viewer")
    )
    assert bad_preset.status_code == 422


# -- approvals -----------------------------------------------------------------------


def test_an_approval_is_current_until_the_spec_is_edited(
    answered_team: Team, client: TestClient
) -> None:
    team = answered_team
    rendered = render(client, team)
    assert rendered["open_questions"] == 0
    before = client.get(f"{API}/approvals", headers=team.headers("viewer")).json()
    assert APPROVER_ROLE in before["required"]
    assert APPROVER_ROLE in before["missing"]

    approved = client.post(
        f"{API}/approvals",
        json={"role": APPROVER_ROLE, "comment": "Looks right."},
        headers=team.headers("approver"),
    )
    assert approved.status_code == 201, approved.text
    assert approved.json()["record"] == f"specs/{NAME}/approvals.yaml"
    review = client.get(f"{API}/approvals", headers=team.headers("viewer")).json()
    [approval] = review["approvals"]
    assert (approval["role"], approval["by"], approval["comment"], approval["state"]) == (
        APPROVER_ROLE,
        "approver",
        "Looks right.",
        "current",
    )
    assert APPROVER_ROLE not in review["missing"]
    assert {"role": APPROVER_ROLE, "state": "current", "by": "approver"} in review["roles"]

    spec = team.root / "specs" / NAME / "integration-spec.md"
    spec.write_text(spec.read_text(encoding="utf-8") + "\nAn edit by hand.\n", encoding="utf-8")
    stale = client.get(f"{API}/approvals", headers=team.headers("viewer")).json()
    assert stale["stale"] == [APPROVER_ROLE]
    assert stale["approvals"][0]["state"] == "stale"
    assert any("integration-spec.md" in change for change in stale["approvals"][0]["changed"])

    unknown = client.post(
        f"{API}/approvals", json={"role": "Nobody"}, headers=team.headers("approver")
    )
    assert unknown.status_code == 422
    assert APPROVER_ROLE in unknown.json()["detail"]["hint"]
    events = client.get("/api/v1/audit", headers=team.headers("viewer")).json()["events"]
    assert [(e["actor"], e["action"]) for e in events if e["action"] == "approve"] == [
        ("approver", "approve")
    ]


# -- comments, assignments, audit -----------------------------------------------------


def test_comments_round_trip(client: TestClient, team: Team) -> None:
    begin(client, team)
    assert client.get(f"{API}/comments", headers=team.headers("viewer")).json() == {"comments": []}
    for role, target, body in (
        ("viewer", "question:problem.why", "Which team feels the pain?"),
        ("admin", "integration-spec.md#overview", HOSTILE),
    ):
        added = client.post(
            f"{API}/comments", json={"target": target, "body": body}, headers=team.headers(role)
        )
        assert added.status_code == 201, added.text
        assert (added.json()["author"], added.json()["body"]) == (role, body)
    listed = client.get(f"{API}/comments", headers=team.headers("answerer")).json()["comments"]
    assert [(c["author"], c["target"], c["body"]) for c in listed] == [
        ("viewer", "question:problem.why", "Which team feels the pain?"),
        ("admin", "integration-spec.md#overview", HOSTILE),
    ]
    blank = client.post(
        f"{API}/comments",
        json={"target": "question:problem.why", "body": " "},
        headers=team.headers("viewer"),
    )
    assert blank.status_code == 422
    assert (
        client.get(
            "/api/v1/integrations/nothing/comments", headers=team.headers("viewer")
        ).status_code
        == 404
    )


def test_assignments_restrict_an_answerer_to_their_phases(client: TestClient, team: Team) -> None:
    begin(client, team)
    assert client.get(f"{API}/assignments", headers=team.headers("viewer")).json() == {
        "assignments": {}
    }
    assigned = client.post(
        f"{API}/assignments",
        json={"phase": "scope", "person": "answerer"},
        headers=team.headers("admin"),
    )
    assert assigned.status_code == 201, assigned.text
    assert assigned.json() == {"assignments": {"scope": ["answerer"]}}
    assert client.get(f"{API}/assignments", headers=team.headers("viewer")).json() == {
        "assignments": {"scope": ["answerer"]}
    }
    nobody = client.post(
        f"{API}/assignments",
        json={"phase": "scope", "person": "nobody"},
        headers=team.headers("admin"),
    )
    assert nobody.status_code == 422
    assert "nobody" in nobody.json()["detail"]["message"]

    before = answers_file(team).read_bytes()
    refused = post_answers(
        client,
        team,
        {"answers": {"problem.summary": "Not my phase.", "scope.operations": "Create order"}},
    )
    assert refused.status_code == 403, refused.text
    [entry] = refused.json()["detail"]
    assert (entry["loc"], entry["type"]) == (["body", "answers", "problem.summary"], "not_assigned")
    assert "scope" in entry["hint"]
    skip_refused = client.post(
        f"{API}/skips",
        json={"id": "problem.why", "reason": "later"},
        headers=team.headers("answerer"),
    )
    assert skip_refused.status_code == 403
    assert skip_refused.json()["detail"][0]["type"] == "not_assigned"
    assert answers_file(team).read_bytes() == before

    own = post_answers(
        client, team, {"answers": {"scope.operations": "Create order\nRefund order"}}
    )
    assert own.status_code == 200, own.text
    assert saved_answers(team)["scope.operations"]["by"] == "answerer"
    # Others without an assignment (and every admin) still answer every phase.
    admin = post_answers(
        client, team, {"answers": {"problem.summary": "The admin's summary."}}, "admin"
    )
    assert admin.status_code == 200, admin.text

    taken_back = client.post(
        f"{API}/assignments",
        json={"phase": "scope", "person": "answerer", "remove": True},
        headers=team.headers("admin"),
    )
    assert taken_back.json() == {"assignments": {}}
    free = post_answers(client, team, {"answers": {"problem.why": "Checkout fails."}})
    assert free.status_code == 200, "with no assignment left, every phase again"


def test_only_a_phase_of_the_interview_can_be_assigned(client: TestClient, team: Team) -> None:
    begin(client, team)
    refused = client.post(
        f"{API}/assignments",
        json={"phase": "no-such-phase", "person": "answerer"},
        headers=team.headers("admin"),
    )
    assert refused.status_code == 422, refused.text
    [entry] = refused.json()["detail"]
    assert entry["loc"] == ["body", "phase"]
    assert "problem" in entry["hint"] and "scope" in entry["hint"]
    assert client.get(f"{API}/assignments", headers=team.headers("viewer")).json() == {
        "assignments": {}
    }
    # The answerer was not shut out of every phase by a phase that does not exist.
    saved = post_answers(client, team, {"answers": {"problem.summary": "Still answerable."}})
    assert saved.status_code == 200, saved.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{API}/comments", {"target": "question:problem.why", "body": "a\x00b"}),
        ("POST", f"{API}/comments", {"target": "question:\x00", "body": "fine"}),
        ("POST", f"{API}/assignments", {"phase": "scope", "person": "answerer\x00"}),
        ("GET", "/api/v1/audit?integration=orders%00", None),
    ],
    ids=["comment-body", "comment-target", "assignment-person", "audit-filter"],
)
def test_text_with_a_nul_character_is_refused_not_a_server_error(
    client: TestClient, team: Team, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """PostgreSQL refuses NUL in text; the API refuses it first, on every database."""
    begin(client, team)
    refused = client.request(method, path, json=body, headers=team.headers("admin"))
    assert refused.status_code == 422, refused.text
    assert client.get(f"{API}/comments", headers=team.headers("viewer")).json() == {"comments": []}
    assert client.get(f"{API}/assignments", headers=team.headers("viewer")).json() == {
        "assignments": {}
    }


def test_the_state_refuses_text_no_database_keeps(team: Team) -> None:
    """The guard every front end (API, pages, command line) shares."""
    state = ServerState.open(team.database)
    try:
        with pytest.raises(UsageError, match="NUL"):
            state.add_comment(NAME, "question:problem.why", "a\x00b", "admin")
        with pytest.raises(UsageError, match="NUL"):
            state.assign(NAME, "scope", "answerer\x00")
        with pytest.raises(UsageError, match="NUL"):
            state.create_token("Ada\x00", Role.VIEWER)
        assert state.audit(integration="orders\x00") == []
        assert state.comments(NAME) == []
        assert state.assignments(NAME) == {}
    finally:
        state.close()


def test_the_audit_lists_every_change_with_its_actor(client: TestClient, team: Team) -> None:
    begin(client, team)
    post_answers(client, team, {"answers": {"problem.summary": "Take orders."}, "by": "Dana"})
    refused = post_answers(client, team, {"answers": {"no.such": "x"}})
    assert refused.status_code == 422
    client.post(
        f"{API}/skips", json={"id": "problem.why", "reason": "ask"}, headers=team.headers("admin")
    )
    client.post(
        f"{API}/comments",
        json={"target": "question:problem.why", "body": "?"},
        headers=team.headers("viewer"),
    )
    client.post(
        f"{API}/assignments",
        json={"phase": "scope", "person": "viewer"},
        headers=team.headers("admin"),
    )
    render(client, team)
    audit = client.get("/api/v1/audit", headers=team.headers("viewer"))
    assert audit.status_code == 200
    events = audit.json()["events"]
    assert [(e["actor"], e["action"], e["integration"]) for e in events] == [
        ("answerer", "render", NAME),
        ("admin", "assign", NAME),
        ("viewer", "comment", NAME),
        ("admin", "skip", NAME),
        ("answerer", "answer", NAME),
        ("answerer", "create", NAME),
    ]
    assert events[4]["detail"] == {"by": "Dana", "questions": ["problem.summary"]}
    assert events[1]["detail"] == {"phase": "scope", "person": "viewer"}
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)
    limited = client.get("/api/v1/audit", params={"limit": 2}, headers=team.headers("viewer"))
    assert [e["action"] for e in limited.json()["events"]] == ["render", "assign"]
    other = client.get(
        "/api/v1/audit", params={"integration": "other"}, headers=team.headers("viewer")
    )
    assert other.json() == {"events": []}


# -- tokens, limits, headers -----------------------------------------------------------


def test_a_revoked_token_is_refused(client: TestClient, team: Team) -> None:
    assert client.get("/api/v1/me", headers=team.headers("viewer")).json() == {
        "name": "viewer",
        "role": "viewer",
    }
    state = ServerState.open(team.database)
    try:
        [token] = [entry for entry in state.tokens() if entry.name == "viewer"]
        state.revoke(token.id)
    finally:
        state.close()
    refused = client.get("/api/v1/me", headers=team.headers("viewer"))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/api/v1/me", headers=team.headers("admin")).status_code == 200


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"answers": {"problem.summary": "'
    for _ in range(size // 50_000 + 1):
        yield b"x" * 50_000
    yield b'"}}'


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_a_megabyte_is_refused(client: TestClient, team: Team, streamed: bool) -> None:
    begin(client, team)
    before = answers_file(team).read_bytes()
    body = b"".join(_chunks(1_050_000))
    content: bytes | Iterator[bytes] = _chunks(1_050_000) if streamed else body
    refused = client.post(
        f"{API}/answers",
        content=content,
        headers={**team.headers("answerer"), "content-type": "application/json"},
    )
    assert refused.status_code == 413, refused.text
    assert "bytes" in refused.json()["detail"]
    assert answers_file(team).read_bytes() == before
    # Just under the limit is read (and refused for what it says, not for its size).
    fits = client.post(
        f"{API}/answers",
        content=b'{"answers": {"problem.summary": "' + b"x" * 900_000 + b'"}}',
        headers={**team.headers("answerer"), "content-type": "application/json"},
    )
    assert fits.status_code != 413


def test_api_responses_carry_the_security_headers(client: TestClient, team: Team) -> None:
    begin(client, team)
    render(client, team)
    responses = [
        client.get("/api/v1/me", headers=team.headers("viewer")),
        client.get("/api/v1/me"),
        client.get("/api/v1/integrations/nothing", headers=team.headers("viewer")),
        post_answers(client, team, {"answers": {}}),
        client.get(f"{API}/documents/integration-spec.md", headers=team.headers("viewer")),
        client.get(
            f"{API}/documents/integration-spec.md?format=html", headers=team.headers("viewer")
        ),
        client.post(f"{API}/answers", content=b"x" * 1_000_001, headers=team.headers("answerer")),
    ]
    assert [r.status_code for r in responses] == [200, 401, 404, 422, 200, 200, 413]
    for response in responses:
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy
        assert "default-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_wrong_tokens_are_throttled(client: TestClient, team: Team) -> None:
    for attempt in range(10):
        wrong = client.get("/api/v1/me", headers={"Authorization": f"Bearer il_wrong{attempt}"})
        assert wrong.status_code == 401, (attempt, wrong.text)
    throttled = client.get("/api/v1/me", headers={"Authorization": "Bearer il_wrong-again"})
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    # While the address waits, no token is tried, not even a right one.
    assert client.get("/api/v1/me", headers=team.headers("admin")).status_code == 429


def test_a_missing_token_is_not_counted_as_a_wrong_one(client: TestClient, team: Team) -> None:
    for _ in range(15):
        assert client.get("/api/v1/me").status_code == 401
        assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/v1/me", headers=team.headers("viewer")).status_code == 200


# -- hostile input -------------------------------------------------------------------


def test_a_hostile_answer_is_kept_literally_and_never_becomes_a_script(
    answered_team: Team, client: TestClient
) -> None:
    team = answered_team
    summary = f"{HOSTILE} Take orders <img src=x onerror=alert(2)> and [x](javascript:alert(3))."
    saved = post_answers(client, team, {"answers": {"problem.summary": summary}})
    assert saved.status_code == 200, saved.text
    assert saved_answers(team)["problem.summary"]["value"] == summary
    status = client.get(f"{API}/next", headers=team.headers("viewer"))
    assert status.status_code == 200
    render(client, team)
    spec = client.get(f"{API}/documents/integration-spec.md", headers=team.headers("viewer")).text
    assert "alert(1)" in spec
    documents = client.get(f"{API}/documents", headers=team.headers("viewer")).json()["documents"]
    assert documents
    for document in documents:
        html = client.get(
            f"{API}/documents/{document['name']}",
            params={"format": "html"},
            headers=team.headers("viewer"),
        )
        assert html.status_code == 200
        assert "<script" not in html.text.lower()
        parsed = Tags(html.text)
        assert {"script", "iframe", "object", "embed"}.isdisjoint(parsed.tags)
        assert not [name for name, _ in parsed.attributes if name.startswith("on")]
        assert not [
            value
            for _, value in parsed.attributes
            if value.strip().lower().startswith("javascript:")
        ]
    assert (
        "alert(1)"
        in client.get(
            f"{API}/documents/integration-spec.md",
            params={"format": "html"},
            headers=team.headers("viewer"),
        ).text
    )


def test_the_next_round_follows_answers_written_outside_the_server(
    client: TestClient, team: Team
) -> None:
    """The round is kept between answers, but an answer the command line or an agent
    writes to the file is in the very next round the API gives."""
    begin(client, team)
    first = client.get(f"{API}/next", headers=team.headers("viewer")).json()
    assert client.get(f"{API}/next", headers=team.headers("viewer")).json() == first
    elsewhere = WorkspaceFolder(team.root).integration(NAME)
    elsewhere.submit(
        AnswerBatch(answers=(("problem.summary", "Written in a terminal."),)), by="Dana"
    )
    after = client.get(f"{API}/next", headers=team.headers("viewer")).json()
    assert after["revision"] != first["revision"]
    assert after["revision"] == elsewhere.store.revision
    assert after["progress"]["answered"] == first["progress"]["answered"] + 1
    assert "problem.summary" not in [question["id"] for question in after["questions"]]
    # The round an answer through the API returns is the one the next GET gives.
    saved = post_answers(client, team, {"answers": {"problem.why": "Checkout fails."}}).json()
    again = client.get(f"{API}/next", headers=team.headers("viewer")).json()
    assert again["revision"] == saved["revision"]
    assert again["questions"] == saved["questions"]
