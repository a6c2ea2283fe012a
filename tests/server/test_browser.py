"""The team server's pages in a real browser (Debian's Chromium through Playwright),
against a real ``interlock serve``: answering a round, approving a document beside its
findings, a viewer's read-only interview, and a page that follows another person's
answers live. Full-page screenshots of the main pages go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from support.answered import ORDER_ANSWERS
from support.browser import chromium_missing_reason, launched_chromium
from support.team_server import ServerProcess, Team, complete_interview, new_team, served

pytestmark = pytest.mark.skipif(
    chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
APPROVERS = ["Head of architecture", "Security team"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WAIT_MS = 10_000


@dataclass
class Site:
    """A served workspace with three interviews: ``fresh`` just begun, ``live`` just
    begun (for the live-update test), ``done`` complete with its documents rendered."""

    team: Team
    server: ServerProcess
    http: httpx.Client


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    team = new_team(tmp_path_factory.mktemp("browser") / "workspace")
    with served(team) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        for name in ("fresh", "live", "done"):
            http.post(
                "/api/v1/integrations",
                json={"name": name, "depth": "quick"},
                headers=team.headers("answerer"),
            ).raise_for_status()
        complete_interview(http, team, "done", approvers=APPROVERS)
        http.post(
            "/api/v1/integrations/done/render", headers=team.headers("answerer")
        ).raise_for_status()
        yield Site(team, server, http)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Browser]:
    """Chromium, closed before the server stops (so no event stream holds it open)."""
    del site
    with sync_playwright() as playwright, launched_chromium(playwright) as chromium:
        yield chromium


@pytest.fixture(scope="module", autouse=True)
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def shoot(page: Page, name: str) -> None:
    """Save a full-page screenshot and check it is a PNG with something in it."""
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 5_000, path


PROBLEMS: dict[Page, list[str]] = {}
"""Errors each page logged (a script error, a resource the CSP blocked)."""


def signed_in(browser: Browser, site: Site, role: str, screenshot: str | None = None) -> Page:
    """A new browser context signed in with the token of ``role``, on the integrations."""
    context = browser.new_context(base_url=site.server.url)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    problems = PROBLEMS.setdefault(page, [])

    def logged(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", logged)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.fill("input[name=token]", site.team.tokens[role])
    if screenshot:
        shoot(page, screenshot)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/integrations")
    expect(page.locator("nav")).to_contain_text(f"{role} · {role}")
    return page


def close(page: Page) -> None:
    """Close the page's context, after checking it logged no error."""
    assert PROBLEMS.pop(page) == [], "the page logged errors"
    page.context.close()


def test_an_answerer_answers_the_first_round_and_sees_progress_move(
    browser: Browser, site: Site
) -> None:
    page = signed_in(browser, site, "answerer", screenshot="01-sign-in.png")
    expect(page.get_by_role("link", name="fresh")).to_be_visible()
    shoot(page, "02-integrations.png")
    page.get_by_role("link", name="fresh").click()
    progress = page.locator("#progress")
    before = int(progress.get_attribute("value") or "-1")
    page.fill("textarea[name='a:problem.summary']", "Orders are paid through Stripe.")
    page.fill("textarea[name='a:problem.why']", "Checkout fails whenever the monolith does.")
    page.fill(
        "textarea[name='a:systems']",
        "Stripe, external-api, Payments team, critical\nSendGrid, external-api, Growth, medium",
    )
    page.locator("details.help summary").first.click()
    shoot(page, "03-interview.png")
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_url("**/integrations/fresh?saved=3")
    expect(page.locator(".flash")).to_have_text("3 answers saved.")
    expect(page.locator("#answered-count")).to_have_text(str(before + 3))
    assert int(progress.get_attribute("value") or "-1") == before + 3
    expect(page.locator("textarea[name='a:problem.summary']")).to_have_count(0)
    close(page)


def test_an_approver_sees_findings_beside_sections_and_approves(
    browser: Browser, site: Site
) -> None:
    page = signed_in(browser, site, "approver")
    page.goto("/integrations/done/documents")
    page.get_by_role("link", name="integration-spec.md").click()
    sections = page.locator("section.doc-section")
    assert sections.count() > 1
    beside = page.locator("section.doc-section aside .finding")
    expect(beside.first).to_be_visible()
    expect(beside.first).to_contain_text("line ")
    shoot(page, "04-document-findings.png")
    page.select_option("select[name=role]", APPROVERS[1])
    page.fill("textarea[name=comment]", "Failure handling reads right.")
    page.get_by_role("button", name="Approve the documents as they are").click()
    page.wait_for_url("**/documents/integration-spec.md?done=approved#approvals")
    current = page.locator("li.approval.state-current")
    expect(current).to_contain_text(f"{APPROVERS[1]} by approver")
    expect(current).to_contain_text("Failure handling reads right.")
    expect(page.locator("#approvals table")).to_contain_text("current")
    shoot(page, "05-approvals.png")
    page.get_by_role("link", name="Audit").click()
    expect(page.locator("table.audit")).to_contain_text("approve")
    shoot(page, "06-audit.png")
    close(page)


def test_a_viewer_sees_the_interview_without_an_answer_form(browser: Browser, site: Site) -> None:
    page = signed_in(browser, site, "viewer")
    page.goto("/integrations/live")
    expect(page.get_by_role("heading", name="live")).to_be_visible()
    expect(page.locator("#read-only")).to_contain_text("your role cannot answer")
    expect(page.locator("form#answers")).to_have_count(0)
    expect(page.locator("[form=answers]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save answers")).to_have_count(0)
    expect(page.locator("article.question").first).to_be_visible()
    close(page)


def test_an_open_interview_page_follows_answers_given_elsewhere(
    browser: Browser, site: Site
) -> None:
    idle = signed_in(browser, site, "answerer")
    typing = signed_in(browser, site, "answerer")
    for page in (idle, typing):
        page.goto("/integrations/live")
        expect(page.locator("#answered-count")).to_have_text("0")
    typing.fill("textarea[name='a:problem.why']", "Half-typed, not to be lost.")
    site.http.post(
        "/api/v1/integrations/live/answers",
        json={"answers": {"problem.summary": "Answered through the API."}},
        headers=site.team.headers("answerer"),
    ).raise_for_status()
    expect(idle.locator("#answered-count")).to_have_text("1", timeout=5_000)
    expect(idle.locator("textarea[name='a:problem.summary']")).to_have_count(0)
    expect(typing.locator("#live-banner")).to_be_visible(timeout=5_000)
    expect(typing.locator("#live-banner")).to_contain_text("Someone else answered")
    expect(typing.locator("textarea[name='a:problem.why']")).to_have_value(
        "Half-typed, not to be lost."
    )
    expect(typing.locator("#answered-count")).to_have_text("0")
    for page in (idle, typing):
        close(page)


def form_text(kind: str, value: Any, fields: list[dict[str, Any]]) -> str:
    """``value`` as a person types it into the text box of a question of ``kind``."""
    if kind == "list":
        return "\n".join(str(item) for item in value)
    if kind == "entities":
        # One record per line, fields in the order the page names them; the example's
        # owners hold the separators (`,` and `;`), so they are typed without them.
        return "\n".join(
            ", ".join(
                str(record.get(field["name"]) or "").replace(";", " /").replace(",", " /")
                for field in fields
            )
            for record in value
        )
    return str(value)


def answer_round_in_page(page: Page, current: dict[str, Any], given: dict[str, Any]) -> None:
    """Fill the round's form as a person would: an answer where the example has one, a
    skip with a reason where it does not."""
    for question in current["questions"]:
        id_, kind = question["id"], question["kind"]
        box = page.locator(f"article[id='q-{id_}']")
        if id_ not in given:
            box.locator("details.skip summary").click()
            box.locator(f"input[name='skip:{id_}']").check()
            box.locator(f"input[name='reason:{id_}']").fill("Not decided yet")
            box.locator(f"input[name='owner:{id_}']").fill("Product owner")
            continue
        value = given[id_]
        field = f"a:{id_}"
        if kind == "choice":
            box.locator(f"input[name='{field}'][value='{value}']").check()
        elif kind == "boolean":
            box.locator(f"input[name='{field}'][value='{'yes' if value else 'no'}']").check()
        elif kind == "multi":
            for item in value:
                box.locator(f"input[name='{field}'][value='{item}']").check()
            if not value:
                box.locator(f"input[name='none:{id_}']").check()
        elif kind == "number":
            box.locator(f"input[name='{field}']").fill(str(value))
        else:
            box.locator(f"textarea[name='{field}']").fill(
                form_text(kind, value, question["fields"])
            )


def test_a_person_takes_an_integration_from_first_answer_to_approved_documents(
    browser: Browser, site: Site
) -> None:
    """The whole journey in the browser: start a full interview, answer it round by
    round, render, then approve in every required role; the spec ends ``approved``."""
    given = yaml.safe_load(ORDER_ANSWERS.read_text(encoding="utf-8"))
    given["consumers.approvers"] = APPROVERS
    name = "journey"
    page = signed_in(browser, site, "answerer")
    page.fill("input[name=name]", name)
    page.select_option("select[name=depth]", "full")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(f"**/integrations/{name}")
    rounds = 0
    while not page.get_by_role("heading", name="The interview is complete").is_visible():
        assert rounds < 80, "the interview does not end"
        # The round the page shows, as data: the same questions, with their kinds.
        current = site.http.get(
            f"/api/v1/integrations/{name}/next", headers=site.team.headers("viewer")
        ).json()
        shown = page.locator("input[name=q]").evaluate_all("nodes => nodes.map(n => n.value)")
        assert shown == [question["id"] for question in current["questions"]]
        answered = int(page.locator("#answered-count").inner_text())
        answer_round_in_page(page, current, given)
        page.get_by_role("button", name="Save answers").click()
        page.wait_for_load_state()
        expect(page.locator("p.error")).to_have_count(0)
        assert int(page.locator("#answered-count").inner_text()) >= answered
        rounds += 1
    status = site.http.get(
        f"/api/v1/integrations/{name}", headers=site.team.headers("viewer")
    ).json()
    assert status["complete"] and status["depth"] == "full"
    assert rounds > 10, "answered round by round, in the page"

    page.get_by_role("link", name="Render and review the documents").click()
    page.get_by_role("button", name="Render the documents").click()
    expect(page.locator("body")).to_contain_text("documents written")
    close(page)

    page = signed_in(browser, site, "approver")
    page.goto(f"/integrations/{name}/documents/integration-spec.md")
    for role in APPROVERS:
        page.select_option("select[name=role]", role)
        page.get_by_role("button", name="Approve the documents as they are").click()
        page.wait_for_url("**?done=approved#approvals")
    rows = page.locator("#approvals table tbody tr")
    expect(rows).to_have_count(len(APPROVERS))
    for index in range(len(APPROVERS)):
        expect(rows.nth(index)).to_contain_text("current")
    page.goto("/integrations")
    row = page.locator("tr", has=page.get_by_role("link", name=name, exact=True))
    expect(row).to_contain_text("approved")
    close(page)
    approvals = site.http.get(
        f"/api/v1/integrations/{name}/approvals", headers=site.team.headers("viewer")
    ).json()
    assert approvals["status"] == "approved" and approvals["missing"] == []
    assert approvals["approvers"] == ["approver"]
