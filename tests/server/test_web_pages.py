"""The team server's pages, through an HTTP client (no browser): signing in, the
form token on every change, answering round by round without losing what was typed,
roles and phase assignments, escaping, approvals going stale, comments, the audit log
and the live-update stream."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from interlock.server.security import SECURITY_HEADERS
from interlock.server.state import default_database_url
from support.answered import ORDER_ANSWERS
from support.team_server import Team, complete_interview, new_team, served, team_client

NAME = "orders"
APPROVERS = ["Head of architecture", "Security team"]
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "image": '<img src=x onerror="alert(1)">',
    "link": "[click me](javascript:alert(1))",
}
HOSTILE_TEXT = " ".join(HOSTILE.values())


class Parsed(HTMLParser):
    """A page as its elements: each start tag with its attributes, and the text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.rows: list[list[str]] = []
        """Each table row's cells, as text."""
        self._in_cell = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"} and self.rows:
            self.rows[-1].append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._in_cell:
            self.rows[-1][-1] = " ".join(self.rows[-1][-1].split())
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in_cell:
            self.rows[-1][-1] += data

    @property
    def text(self) -> str:
        """The page's text, entities decoded, spaces folded."""
        return " ".join(" ".join(self.texts).split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """The attributes of each ``tag`` element whose attributes include ``attrs``."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in wanted.items())
        ]

    def answer_fields(self) -> set[str]:
        """The names of the fields that belong to the answers form."""
        return {
            found["name"]
            for tag, found in self.tags
            if tag in {"input", "textarea", "select"} and found.get("form") == "answers"
        }


def order_answers() -> dict[str, Any]:
    data = yaml.safe_load(ORDER_ANSWERS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def sign_in(client: TestClient, team: Team, role: str) -> str:
    """Sign ``client`` in with the token of ``role``; return the session's form token."""
    signed = client.post("/signin", data={"token": team.tokens[role]}, follow_redirects=False)
    assert signed.status_code == 303, signed.text
    page = client.get("/integrations")
    assert page.status_code == 200
    return Parsed(page.text).find("input", name="csrf")[0]["value"]


def next_round(client: TestClient, team: Team) -> dict[str, Any]:
    found = client.get(f"/api/v1/integrations/{NAME}/next", headers=team.headers("answerer"))
    assert found.status_code == 200, found.text
    data: dict[str, Any] = found.json()
    return data


def answer_by_api(client: TestClient, team: Team, answers: dict[str, Any]) -> None:
    saved = client.post(
        f"/api/v1/integrations/{NAME}/answers",
        json={"answers": answers, "by": "api"},
        headers=team.headers("answerer"),
    )
    assert saved.status_code == 200, saved.text


def first_round_form(csrf: str, revision: str, **overrides: str) -> dict[str, Any]:
    """The answers form of the first round, filled as a person would."""
    form: dict[str, Any] = {
        "csrf": csrf,
        "revision": revision,
        "q": ["problem.summary", "problem.why", "systems"],
        "a:problem.summary": "Orders are paid through Stripe and confirmed by e-mail.",
        "a:problem.why": "Checkout inside the monolith fails during its outages.",
        "a:systems": "Stripe, external-api, Payments team, critical\n"
        "SendGrid, external-api, Growth team, medium",
    }
    form.update(overrides)
    return form


def page_revision(html: str) -> str:
    return Parsed(html).find("input", name="revision")[0]["value"]


def progress_value(html: str) -> int:
    return int(Parsed(html).find("progress", id="progress")[0]["value"])


def audit_actions(client: TestClient, team: Team) -> list[tuple[str, str]]:
    events = client.get("/api/v1/audit", headers=team.headers("admin")).json()["events"]
    return [(event["actor"], event["action"]) for event in events]


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return new_team(tmp_path / "workspace")


@pytest.fixture
def client(team: Team) -> Iterator[TestClient]:
    with team_client(team) as client:
        started = client.post(
            "/api/v1/integrations",
            json={"name": NAME, "depth": "quick"},
            headers=team.headers("answerer"),
        )
        assert started.status_code == 201, started.text
        yield client


@pytest.fixture(scope="module")
def rendered_workspace(tmp_path_factory: pytest.TempPathFactory) -> Team:
    """A team whose interview is complete and whose documents are rendered (made once,
    copied for each test that takes :func:`rendered`)."""
    team = new_team(tmp_path_factory.mktemp("rendered") / "workspace")
    with team_client(team) as client:
        client.post(
            "/api/v1/integrations",
            json={"name": NAME, "depth": "quick"},
            headers=team.headers("answerer"),
        )
        complete_interview(client, team, NAME, approvers=APPROVERS)
        rendered = client.post(
            f"/api/v1/integrations/{NAME}/render", headers=team.headers("answerer")
        )
        assert rendered.status_code == 200, rendered.text
    return team


@pytest.fixture
def rendered(rendered_workspace: Team, tmp_path: Path) -> Iterator[tuple[Team, TestClient]]:
    root = tmp_path / "workspace"
    shutil.copytree(rendered_workspace.root, root)
    team = Team(root, default_database_url(root), dict(rendered_workspace.tokens))
    with team_client(team) as client:
        yield team, client


# -- signing in --------------------------------------------------------------------


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it(
    client: TestClient, team: Team
) -> None:
    assert client.get("/integrations", follow_redirects=False).headers["location"] == "/"
    form = Parsed(client.get("/").text)
    assert form.find("input", name="token", type="password")
    signed = client.post("/signin", data={"token": team.tokens["viewer"]}, follow_redirects=False)
    assert (signed.status_code, signed.headers["location"]) == (303, "/integrations")
    cookie = signed.headers["set-cookie"].lower()
    assert cookie.startswith("interlock_session=")
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "secure" not in cookie, "plain http on a name that is not loopback"
    assert client.get("/", follow_redirects=False).headers["location"] == "/integrations"
    csrf = Parsed(client.get("/integrations").text).find("input", name="csrf")[0]["value"]
    assert client.post("/signout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/integrations", follow_redirects=False).headers["location"] == "/"
    assert ("viewer", "signin") in audit_actions(client, team)
    assert ("viewer", "signout") in audit_actions(client, team)


def test_a_sign_in_form_posted_from_another_site_signs_nobody_in(
    client: TestClient, team: Team
) -> None:
    token = team.tokens["admin"]
    forged = client.post(
        "/signin", data={"token": token}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    assert "interlock_session" not in forged.headers.get("set-cookie", "")
    hidden = client.post("/signin", data={"token": token}, headers={"Origin": "null"})
    assert hidden.status_code == 403, "a page that hides its origin is refused too"
    own = client.post(
        "/signin",
        data={"token": token},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert own.status_code == 303 and "interlock_session=" in own.headers["set-cookie"]


def test_a_wrong_token_is_shown_an_error_and_throttled_after_ten(
    client: TestClient, team: Team
) -> None:
    for _ in range(10):
        refused = client.post("/signin", data={"token": "il_not-a-real-token"})
        assert refused.status_code == 401
        assert "not valid" in Parsed(refused.text).text
        assert "interlock_session" not in refused.headers.get("set-cookie", "")
    throttled = client.post("/signin", data={"token": team.tokens["admin"]})
    assert throttled.status_code == 429, "even the right token waits once throttled"
    assert int(throttled.headers["retry-after"]) > 0
    assert "wait" in Parsed(throttled.text).text.lower()
    assert client.get("/integrations", follow_redirects=False).status_code == 303


def test_pages_carry_the_security_headers_and_no_inline_script_or_style(
    client: TestClient, team: Team
) -> None:
    pages = [client.get("/")]
    sign_in(client, team, "admin")
    pages += [
        client.get(path)
        for path in (
            "/integrations",
            f"/integrations/{NAME}",
            f"/integrations/{NAME}/documents",
            "/audit",
        )
    ]
    pages.append(client.post(f"/integrations/{NAME}/render", data={"csrf": "forged"}))
    assert [page.status_code for page in pages] == [200, 200, 200, 200, 200, 403]
    for page in pages:
        for name, value in SECURITY_HEADERS.items():
            assert page.headers[name] == value, (page.url, name)
        parsed = Parsed(page.text)
        assert parsed.find("title") and parsed.find("h1") and parsed.find("nav")
        assert all(script.get("src", "").startswith("/static/") for script in parsed.find("script"))
        assert not parsed.find("style")
        assert not [attrs for _, attrs in parsed.tags if "style" in attrs]


# -- the form token and roles ------------------------------------------------------


POSTS = [
    ("/signout", {}),
    ("/integrations", {"name": "another", "depth": "quick"}),
    (f"/integrations/{NAME}/answers", {"q": "problem.why", "a:problem.why": "Because."}),
    (f"/integrations/{NAME}/render", {}),
    (f"/integrations/{NAME}/approvals", {"role": APPROVERS[0]}),
    (f"/integrations/{NAME}/comments", {"target": "question:problem.why", "body": "Hm."}),
    (f"/integrations/{NAME}/assignments", {"phase": "problem", "person": "answerer"}),
]


@pytest.mark.parametrize(
    "csrf", [None, "", "forged", "é"], ids=["missing", "empty", "wrong", "not-ascii"]
)
@pytest.mark.parametrize(("path", "form"), POSTS, ids=[path for path, _ in POSTS])
def test_a_post_without_the_form_token_is_refused_and_changes_nothing(
    client: TestClient, team: Team, path: str, form: dict[str, str], csrf: str | None
) -> None:
    sign_in(client, team, "admin")
    before = everything(client, team)
    sent = dict(form) if csrf is None else {**form, "csrf": csrf}
    refused = client.post(path, data=sent, follow_redirects=False)
    assert refused.status_code == 403
    assert "did not come from this site" in Parsed(refused.text).text
    assert everything(client, team) == before
    assert client.get("/integrations", follow_redirects=False).status_code == 200, "still signed in"


def everything(client: TestClient, team: Team) -> dict[str, Any]:
    """What a change could touch: the workspace's files, and the server's comments,
    assignments and audit log."""
    api = {"headers": team.headers("admin")}
    return {
        "files": {
            path.relative_to(team.root).as_posix(): path.read_bytes()
            for path in sorted((team.root / "specs").rglob("*"))
            if path.is_file()
        },
        "comments": client.get(f"/api/v1/integrations/{NAME}/comments", **api).json(),
        "assignments": client.get(f"/api/v1/integrations/{NAME}/assignments", **api).json(),
        "audit": audit_actions(client, team),
    }


def test_a_viewer_sees_the_questions_without_an_answer_form_and_cannot_post_one(
    client: TestClient, team: Team
) -> None:
    csrf = sign_in(client, team, "viewer")
    page = client.get(f"/integrations/{NAME}")
    parsed = Parsed(page.text)
    assert not parsed.find("form", id="answers") and not parsed.answer_fields()
    assert "your role cannot answer" in parsed.text
    assert "In two or three sentences, what should this integration do?" in parsed.text
    revision = next_round(client, team)["revision"]
    forged = client.post(f"/integrations/{NAME}/answers", data=first_round_form(csrf, revision))
    assert forged.status_code == 403
    assert "viewer is viewer; this needs answerer or above" in Parsed(forged.text).text
    assert next_round(client, team)["progress"]["answered"] == 0
    for path in (f"/integrations/{NAME}/render", "/integrations"):
        assert client.post(path, data={"csrf": csrf, "name": "x"}).status_code == 403


# -- answering through the form ----------------------------------------------------


def test_a_round_answered_through_the_form_moves_progress(client: TestClient, team: Team) -> None:
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    parsed = Parsed(page.text)
    assert {
        "a:problem.summary",
        "a:problem.why",
        "a:systems",
        "skip:systems",
    } <= parsed.answer_fields()
    assert parsed.find("details") and "Help" in parsed.text
    before = progress_value(page.text)
    saved = client.post(
        f"/integrations/{NAME}/answers",
        data=first_round_form(csrf, page_revision(page.text)),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/integrations/{NAME}?saved=3"
    after = client.get(saved.headers["location"])
    assert "3 answers saved." in Parsed(after.text).text
    assert progress_value(after.text) == before + 3
    assert "problem.summary" not in Parsed(after.text).answer_fields()
    assert ("answerer", "answer") in audit_actions(client, team)
    systems = client.get(f"/api/v1/integrations/{NAME}", headers=team.headers("viewer")).json()
    assert [system["name"] for system in systems["entities"]["systems"]] == ["Stripe", "SendGrid"]


def test_choices_multi_choices_and_skips_are_saved_from_the_form(
    client: TestClient, team: Team
) -> None:
    given = order_answers()
    answer_by_api(
        client, team, {key: given[key] for key in ("problem.summary", "problem.why", "systems")}
    )
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    parsed = Parsed(page.text)
    questions = [found["value"] for found in parsed.find("input", name="q")]
    choice = next(q for q in questions if parsed.find("input", name=f"a:{q}", type="radio"))
    options = [found["value"] for found in parsed.find("input", name=f"a:{choice}", type="radio")]
    skipped = next(q for q in questions if q != choice)
    form = {
        "csrf": csrf,
        "revision": page_revision(page.text),
        "q": [choice, skipped],
        f"a:{choice}": options[-1],
        f"skip:{skipped}": "1",
        f"reason:{skipped}": "the vendor has not answered",
        f"owner:{skipped}": "Dana",
    }
    saved = client.post(f"/integrations/{NAME}/answers", data=form, follow_redirects=False)
    assert saved.headers["location"] == f"/integrations/{NAME}?saved=1&skipped=1"
    status = client.get(f"/api/v1/integrations/{NAME}", headers=team.headers("viewer")).json()
    assert (status["progress"]["answered"], status["progress"]["skipped"]) == (4, 1)
    assert "the vendor has not answered" in str(status["open_questions"])
    assert skipped not in Parsed(client.get(saved.headers["location"]).text).answer_fields()
    assert ("answerer", "skip") in audit_actions(client, team)


def test_refused_answers_are_shown_with_everything_typed_kept(
    client: TestClient, team: Team
) -> None:
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    form = first_round_form(
        csrf,
        page_revision(page.text),
        **{"a:systems": "Stripe without its kind", "a:problem.why": HOSTILE_TEXT},
    )
    refused = client.post(f"/integrations/{NAME}/answers", data=form)
    assert refused.status_code == 422
    parsed = Parsed(refused.text)
    assert "systems, record 1: the field 'kind' is required" in parsed.text
    assert "Stripe without its kind" in parsed.text
    assert form["a:problem.summary"] in parsed.text, "the accepted answer is kept too"
    assert HOSTILE_TEXT in parsed.text, "typed markup comes back as text"
    assert_inert(refused.text)
    assert next_round(client, team)["progress"]["answered"] == 0, "all or nothing"


def test_a_skip_without_a_reason_is_refused_and_nothing_is_saved(
    client: TestClient, team: Team
) -> None:
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    form = first_round_form(csrf, page_revision(page.text), **{"skip:systems": "1"})
    refused = client.post(f"/integrations/{NAME}/answers", data=form)
    assert refused.status_code == 422
    assert "give a reason to skip this question" in Parsed(refused.text).text
    assert next_round(client, team)["progress"]["answered"] == 0


def test_answers_given_meanwhile_show_the_updated_message_and_keep_what_was_typed(
    client: TestClient, team: Team
) -> None:
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    answer_by_api(client, team, {"problem.summary": "Written by someone else."})
    typed = "My own reason, typed before the other answer arrived."
    form = first_round_form(csrf, page_revision(page.text), **{"a:problem.why": typed})
    stale = client.post(f"/integrations/{NAME}/answers", data=form)
    assert stale.status_code == 409
    parsed = Parsed(stale.text)
    assert "The questions were updated: someone else answered" in parsed.text
    assert typed in parsed.text
    assert "problem.summary" not in {f.removeprefix("a:") for f in parsed.answer_fields()}
    assert page_revision(stale.text) != page_revision(page.text), "the new revision to save at"
    status = client.get(f"/api/v1/integrations/{NAME}", headers=team.headers("viewer")).json()
    assert status["progress"]["answered"] == 1, "only the other answer was saved"


def test_an_answerer_with_an_assignment_cannot_answer_another_phase(
    client: TestClient, team: Team
) -> None:
    with TestClient(client.app) as admin:
        admin_csrf = sign_in(admin, team, "admin")
        page = Parsed(admin.get(f"/integrations/{NAME}").text)
        assert page.find("form", action=f"/integrations/{NAME}/assignments")
        assigned = admin.post(
            f"/integrations/{NAME}/assignments",
            data={"csrf": admin_csrf, "phase": "scope", "person": "answerer"},
        )
        assert assigned.status_code == 200
        assert "Scope" in Parsed(assigned.text).text and "The phase was assigned." in assigned.text
        unknown = admin.post(
            f"/integrations/{NAME}/assignments",
            data={"csrf": admin_csrf, "phase": "no-such-phase", "person": "answerer"},
        )
        assert unknown.status_code == 422
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    assert "Phases assigned to you" in Parsed(page.text).text
    refused = client.post(
        f"/integrations/{NAME}/answers", data=first_round_form(csrf, page_revision(page.text))
    )
    assert refused.status_code == 403
    assert "belongs to phase 'problem', which is not assigned to you" in Parsed(refused.text).text
    assert next_round(client, team)["progress"]["answered"] == 0
    forged = client.post(
        f"/integrations/{NAME}/assignments",
        data={"csrf": csrf, "phase": "problem", "person": "answerer"},
    )
    assert forged.status_code == 403, "only an admin assigns"
    assert ("admin", "assign") in audit_actions(client, team)
    with TestClient(client.app) as admin:
        admin_csrf = sign_in(admin, team, "admin")
        taken = admin.post(
            f"/integrations/{NAME}/assignments",
            data={"csrf": admin_csrf, "phase": "scope", "person": "answerer", "remove": "1"},
        )
        assert "The phase was taken back." in taken.text
        assert "No phase is assigned" in Parsed(taken.text).text
    assert ("admin", "unassign") in audit_actions(client, team)


# -- escaping ----------------------------------------------------------------------


def assert_inert(html: str) -> None:
    """The page runs nothing but its own script: no script element of the content, no
    event-handler attribute, no ``javascript:`` link."""
    parsed = Parsed(html)
    assert [s.get("src") for s in parsed.find("script")] == ["/static/interlock.js"]
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), attrs
    assert "<script>alert" not in html and "<img src=x" not in html


def test_hostile_answers_and_comments_are_shown_only_as_text(
    client: TestClient, team: Team
) -> None:
    csrf = sign_in(client, team, "answerer")
    page = client.get(f"/integrations/{NAME}")
    form = first_round_form(csrf, page_revision(page.text), **{"a:problem.summary": HOSTILE_TEXT})
    assert client.post(f"/integrations/{NAME}/answers", data=form).status_code == 200
    commented = client.post(
        f"/integrations/{NAME}/comments",
        data={"csrf": csrf, "target": "question:problem.summary", "body": HOSTILE_TEXT},
    )
    assert commented.status_code == 200
    assert HOSTILE_TEXT in Parsed(commented.text).text
    assert_inert(commented.text)
    complete_interview(client, team, NAME, approvers=APPROVERS)
    rendered = client.post(f"/integrations/{NAME}/render", data={"csrf": csrf})
    assert rendered.status_code == 200 and "documents written" in rendered.text
    shown = []
    for entry in Parsed(rendered.text).find("a"):
        if entry.get("href", "").startswith(f"/integrations/{NAME}/documents/"):
            document = client.get(entry["href"])
            assert document.status_code == 200
            assert_inert(document.text)
            if "alert(1)" in Parsed(document.text).text:
                shown.append(entry["href"].rsplit("/", 1)[-1])
    assert "integration-spec.md" in shown, "the hostile summary is in the spec, as text"


# -- documents, approvals, comments, audit -----------------------------------------


def test_the_integrations_page_shows_progress_score_and_approval_and_starts_interviews(
    rendered: tuple[Team, TestClient],
) -> None:
    team, client = rendered
    csrf = sign_in(client, team, "answerer")
    report = client.post(
        "/api/v1/validate", json={"integration": NAME}, headers=team.headers("viewer")
    ).json()
    rows = Parsed(client.get("/integrations").text).rows
    assert rows[0][:5] == ["Integration", "Progress", "Signals met", "Validation", "Approval"]
    name, progress, signals, score, approval, _links = rows[1]
    assert name == NAME and approval == "draft" and signals == "7 of 7"
    counts = client.get(f"/api/v1/integrations/{NAME}", headers=team.headers("viewer")).json()
    answered = counts["progress"]["answered"]
    assert f"{answered} answered, 0 remaining · phase 9 of 9 · complete" in progress
    assert score.startswith(f"{report['summary']['score']} · {report['summary']['errors']} errors")
    started = client.post(
        "/integrations",
        data={"csrf": csrf, "name": "billing", "depth": "full"},
        follow_redirects=False,
    )
    assert started.headers["location"] == "/integrations/billing"
    status = client.get("/api/v1/integrations/billing", headers=team.headers("viewer")).json()
    assert status["depth"] == "full"
    again = client.post("/integrations", data={"csrf": csrf, "name": "billing", "depth": "quick"})
    assert again.status_code == 409 and "exists" in Parsed(again.text).text
    bad = client.post("/integrations", data={"csrf": csrf, "name": "Not A Slug!", "depth": "quick"})
    assert bad.status_code == 422
    assert Parsed(bad.text).find("input", name="name", value="Not A Slug!"), "the name is kept"
    rows = Parsed(client.get("/integrations").text).rows
    assert [row[0] for row in rows[1:]] == ["billing", NAME]
    assert rows[1][3] == "no documents yet: nothing validated", "no score for nothing"


def test_a_document_shows_its_findings_beside_its_sections(
    rendered: tuple[Team, TestClient],
) -> None:
    team, client = rendered
    sign_in(client, team, "viewer")
    report = client.post(
        "/api/v1/validate", json={"integration": NAME}, headers=team.headers("viewer")
    ).json()
    by_document: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        by_document.setdefault(finding["path"].rsplit("/", 1)[-1], []).append(finding)
    document, findings = max(by_document.items(), key=lambda item: len(item[1]))
    page = client.get(f"/integrations/{NAME}/documents/{document}")
    assert page.status_code == 200
    parsed = Parsed(page.text)
    shown = parsed.find("li", class_=f"finding severity-{findings[0]['severity']}")
    assert shown, "findings are listed"
    text = parsed.text
    for finding in findings:
        assert f"line {finding['line']}" in text and finding["message"] in text
    assert len(parsed.find("section", class_="doc-section")) > 1
    assert not parsed.find("form", action=f"/integrations/{NAME}/approvals"), "viewers read"


def test_an_approval_given_through_the_form_goes_stale_when_the_document_is_edited(
    rendered: tuple[Team, TestClient],
) -> None:
    team, client = rendered
    csrf = sign_in(client, team, "approver")
    path = f"/integrations/{NAME}/documents/integration-spec.md"
    parsed = Parsed(client.get(path).text)
    roles = [found["value"] for found in parsed.find("option") if found["value"] in APPROVERS]
    assert roles == APPROVERS
    approved = client.post(
        f"/integrations/{NAME}/approvals",
        data={
            "csrf": csrf,
            "role": APPROVERS[1],
            "comment": "Looks right.",
            "document": "integration-spec.md",
        },
        follow_redirects=False,
    )
    assert approved.status_code == 303, approved.text
    page = Parsed(client.get(approved.headers["location"]).text)
    assert "Your approval was recorded." in page.text
    assert page.find("li", class_="approval state-current")
    assert "Security team by approver" in page.text and "Looks right." in page.text
    spec = team.root / "specs" / NAME / "integration-spec.md"
    spec.write_text(
        spec.read_text(encoding="utf-8") + "\nOne more line, edited by hand.\n", encoding="utf-8"
    )
    page = Parsed(client.get(path).text)
    assert page.find("li", class_="approval state-stale")
    assert not page.find("li", class_="approval state-current")
    assert "integration-spec.md changed" in page.text
    assert ("approver", "approve") in audit_actions(client, team)


def test_an_answerer_cannot_approve(rendered: tuple[Team, TestClient]) -> None:
    team, client = rendered
    csrf = sign_in(client, team, "answerer")
    refused = client.post(
        f"/integrations/{NAME}/approvals",
        data={"csrf": csrf, "role": APPROVERS[0], "document": "integration-spec.md"},
    )
    assert refused.status_code == 403
    assert not (team.root / "specs" / NAME / "approvals.yaml").exists()


def test_comments_on_a_question_and_a_section_appear_where_they_were_made(
    rendered: tuple[Team, TestClient],
) -> None:
    team, client = rendered
    csrf = sign_in(client, team, "viewer")
    on_question = client.post(
        f"/integrations/{NAME}/comments",
        data={"csrf": csrf, "target": "question:problem.why", "body": "Which outages, exactly?"},
        follow_redirects=False,
    )
    assert on_question.headers["location"].startswith(f"/integrations/{NAME}?done=commented#q-")
    interview = Parsed(client.get(f"/integrations/{NAME}").text)
    assert "Which outages, exactly?" in interview.text and "viewer" in interview.text
    path = f"/integrations/{NAME}/documents/integration-spec.md"
    sections = Parsed(client.get(path).text).find("section", class_="doc-section")
    anchor = sections[1]["data-anchor"]
    on_section = client.post(
        f"/integrations/{NAME}/comments",
        data={"csrf": csrf, "target": f"integration-spec.md#{anchor}", "body": "Name the owner."},
        follow_redirects=False,
    )
    assert on_section.headers["location"].endswith(f"?done=commented#section-{anchor}")
    page = client.get(path).text
    section_html = page.split(f'id="section-{anchor}"', 1)[1].split("</section>", 1)[0]
    assert "Name the owner." in section_html
    for target, body in [("question:problem.why", "   "), ("nowhere", "Lost?")]:
        refused = client.post(
            f"/integrations/{NAME}/comments", data={"csrf": csrf, "target": target, "body": body}
        )
        assert refused.status_code == 422
    comments = client.get(f"/api/v1/integrations/{NAME}/comments", headers=team.headers("viewer"))
    assert [entry["body"] for entry in comments.json()["comments"]] == [
        "Which outages, exactly?",
        "Name the owner.",
    ]


def test_the_audit_page_lists_the_actions_with_their_actors(
    rendered: tuple[Team, TestClient],
) -> None:
    team, client = rendered
    csrf = sign_in(client, team, "answerer")
    client.post(f"/integrations/{NAME}/render", data={"csrf": csrf})
    client.post(
        f"/integrations/{NAME}/comments",
        data={"csrf": csrf, "target": "question:problem.why", "body": "Fine."},
    )
    rows = Parsed(client.get("/audit").text).rows
    assert rows[0] == ["When (UTC)", "Who", "What", "Integration", "Detail"]
    listed = [(who, what, where) for _when, who, what, where, _detail in rows[1:]]
    assert listed[:3] == [
        ("answerer", "comment", NAME),
        ("answerer", "render", NAME),
        ("answerer", "signin", ""),
    ], "newest first"
    assert ("answerer", "answer", NAME) in listed and ("answerer", "create", NAME) in listed
    assert "target: question:problem.why" in rows[1][4]


# -- live updates ------------------------------------------------------------------


def test_the_event_stream_says_when_someone_else_answers(tmp_path: Path) -> None:
    team = new_team(tmp_path / "workspace")
    with served(team) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        http.post(
            "/api/v1/integrations",
            json={"name": NAME, "depth": "quick"},
            headers=team.headers("answerer"),
        ).raise_for_status()
        signed = http.post("/signin", data={"token": team.tokens["viewer"]})
        assert signed.status_code == 303
        # Secure on a loopback address: sent back by hand, as a browser would.
        session = signed.headers["set-cookie"].split(";", 1)[0]
        assert "secure" in signed.headers["set-cookie"].lower()
        cookie = {"Cookie": session}
        revision = http.get(
            f"/api/v1/integrations/{NAME}/next", headers=team.headers("viewer")
        ).json()["revision"]
        received: list[str] = []

        def answer_soon() -> None:
            time.sleep(1.5)
            http.post(
                f"/api/v1/integrations/{NAME}/answers",
                json={"answers": {"problem.summary": "Answered elsewhere."}},
                headers=team.headers("answerer"),
            ).raise_for_status()

        other = threading.Thread(target=answer_soon)
        started = time.monotonic()
        with http.stream(
            "GET", f"/integrations/{NAME}/events", params={"revision": revision}, headers=cookie
        ) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            other.start()
            for line in stream.iter_lines():
                received.append(line)
                if line.startswith("data: "):
                    break
                assert time.monotonic() - started < 10, received
        other.join()
        assert "event: answers" in received
        new_revision = http.get(
            f"/api/v1/integrations/{NAME}/next", headers=team.headers("viewer")
        ).json()["revision"]
        assert received[-1] == f"data: {new_revision}"
        assert http.get(f"/integrations/{NAME}/events", follow_redirects=False).status_code == 303
