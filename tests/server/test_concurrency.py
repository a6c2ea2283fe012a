"""The team server with many writers at once, and killed in the middle of a write.

Each test runs a real ``interlock serve`` process on a loopback port (see
:mod:`support.team_server`) with its database in SQLite, and again in PostgreSQL
when the machine has its server binaries:

- twenty API clients and the command line answer one interview at once, half of the
  clients sending the revision they just read and half an old one on purpose: every
  request is answered 200 or 409, no two accepted answers were based on the same
  revision (no update is lost), a stale revision is refused, each question keeps its
  last accepted value, the audit log lists every accepted answer and no refused one,
  and the answers file parses whole every time a reader samples it during the run;
- twenty clients answering without a revision (the last writer wins) each answer
  their own question: none of the twenty answers is lost to another's write;
- the server is killed (SIGKILL) during a burst of answers and comments, at three
  moments; a new server on the same workspace and database still has every answer,
  comment and audit line it acknowledged, and serves the next round.
"""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import yaml

from interlock.errors import StoreError
from interlock.folders.integration import IntegrationFolder
from interlock.interview.answers import AnswerSheet
from interlock.interview.answers_file import parse_sheet
from interlock.server.state import ServerState
from support.answered import ORDER_ANSWERS
from support.team_server import ServerProcess, Team, served

NAME = "orders"
CLIENTS = 20
ATTEMPTS = 5
"""Rounds of read-then-answer each client makes in the concurrent runs."""
OWN_QUESTIONS = (
    "problem.summary",
    "problem.why",
    "consumers.agreements",
    "scope.mapping",
    "compat.deprecation",
    "data.backfill",
    "constraints.network",
    "secrets.rotation",
    "testing.staging",
    "testing.environments",
    "metrics.alerts",
    "metrics.logging",
    "rollout.flag",
    "data.rehearsal",
    "external.purpose@stripe",
    "external.sla@stripe",
    "external.webhooks@stripe",
    "external.rate_limits@stripe",
    "external.client@stripe",
    "external.cost@stripe",
)
"""A text question of the built-in bank for each client; some are not asked yet (an
answer to one is kept, with a warning), and the ``@stripe`` ones exist once the first
round names Stripe as a system."""
CLI_QUESTION = "closing.missed"
"""The text question the command line answers, no client's."""
KILL_AFTER = (1, 10, 30)
"""How many answers a burst has acknowledged when the server is killed."""
BURST_LIMIT = 40
"""The most answers one client sends in a burst (bounds a burst the kill never ends)."""
READ_EVERY = 0.005
"""Seconds between the reader's samples of the answers file (it leaves the server a CPU)."""
CONFLICT = "the answers changed since you read them"
BUSY = "is in use by"
TIMEOUT = httpx.Timeout(60.0)

# -- what the clients did -------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One answer a client sent, and how the server took it."""

    client: int
    question: str
    value: str
    by: str
    base: str | None
    """The revision sent with the answer (None: the last writer wins)."""
    status: int
    kind: str
    """``saved``, ``conflict`` (a stale revision), ``busy`` (the lock wait timed out)."""
    revision: str | None
    """The revision of the answers file the answer made (saved ones only)."""
    warned: tuple[str, ...] = ()
    """The kinds of the warnings the saved answer came back with (``inactive``: the
    question is not asked now, and its answer is kept all the same)."""


@dataclass
class Run:
    """Everything the writers and the reader saw during one concurrent run."""

    attempts: list[Attempt] = field(default_factory=list)
    reads: Counter[str] = field(default_factory=Counter)
    """Statuses of the next-round requests (``200`` or ``409 busy``)."""
    file_reads: int = 0
    file_contents: set[str] = field(default_factory=set)
    file_errors: list[str] = field(default_factory=list)
    cli_saved: list[str] = field(default_factory=list)
    cli_busy: int = 0

    def saved(self) -> list[Attempt]:
        """The attempts the server accepted."""
        return [attempt for attempt in self.attempts if attempt.kind == "saved"]

    def kinds(self) -> Counter[str]:
        """How many attempts of each kind."""
        return Counter(attempt.kind for attempt in self.attempts)


def _kind_of_409(response: httpx.Response) -> str:
    """Why a 409 came: a stale revision or a lock wait that timed out (anything else
    fails the test)."""
    detail = response.json()["detail"]
    message = detail["message"] if isinstance(detail, dict) else str(detail)
    if CONFLICT in message:
        return "conflict"
    if BUSY in message:
        return "busy"
    raise AssertionError(f"unexpected 409: {response.text}")


def _value(client: int, attempt: int, tag: str = "run") -> str:
    return (
        f"Send each new web-shop customer to the CRM within one minute, so that sales "
        f"can call them the same day ({tag}: client {client}, answer {attempt})."
    )


# -- helpers over HTTP ------------------------------------------------------------------


def _client(url: str, team: Team, role: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers=team.headers(role), timeout=TIMEOUT)


def _example_answers() -> dict[str, Any]:
    loaded = yaml.safe_load(ORDER_ANSWERS.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _answer_round(http: httpx.Client, current: dict[str, Any]) -> dict[str, Any]:
    """Answer the round ``current`` from the order-service example, with its revision."""
    given = _example_answers()
    ids = [question["id"] for question in current["questions"]]
    answers = {question_id: given[question_id] for question_id in ids if question_id in given}
    assert answers, f"the example answers none of {ids}"
    response = http.post(
        f"/api/v1/integrations/{NAME}/answers",
        json={"answers": answers, "revision": current["revision"]},
    )
    assert response.status_code == 200, response.text
    saved: dict[str, Any] = response.json()
    assert saved["accepted"] == list(answers)
    assert saved["revision"] != current["revision"]
    return saved


def _start_interview(url: str, team: Team, rounds: int = 1) -> dict[str, Any]:
    """Start the interview at full depth and answer its first ``rounds`` rounds from the
    example (naming Stripe among the systems); return the round that follows."""
    with _client(url, team, "answerer") as http:
        started = http.post("/api/v1/integrations", json={"name": NAME, "depth": "full"})
        assert started.status_code == 201, started.text
        current: dict[str, Any] = started.json()
        for _ in range(rounds):
            current = _answer_round(http, current)
    return current


def _sheet(team: Team) -> AnswerSheet:
    return IntegrationFolder(team.root, NAME).sheet()


def _answers_path(team: Team) -> Path:
    return IntegrationFolder(team.root, NAME).store.path


# -- the concurrent run -----------------------------------------------------------------


def _answering(
    url: str, team: Team, client: int, mode: str, start: threading.Barrier, run: Run
) -> None:
    """Read the next round, then answer the client's own question, ``ATTEMPTS`` times.

    ``mode`` is ``fresh`` (send the revision just read), ``stale`` (send the one read
    first, every time) or ``none`` (send no revision).
    """
    question = OWN_QUESTIONS[client]
    first: str | None = None
    with _client(url, team, "answerer") as http:
        start.wait()
        for number in range(ATTEMPTS):
            shown = http.get(f"/api/v1/integrations/{NAME}/next")
            assert shown.status_code in (200, 409), shown.text
            if shown.status_code == 409:
                run.reads[f"409 {_kind_of_409(shown)}"] += 1
                continue
            run.reads["200"] += 1
            revision = shown.json()["revision"]
            first = first or revision
            base = {"fresh": revision, "stale": first, "none": None}[mode]
            value, by = _value(client, number), f"client-{client}-{number}"
            body: dict[str, Any] = {"answers": {question: value}, "by": by}
            if base is not None:
                body["revision"] = base
            answered = http.post(f"/api/v1/integrations/{NAME}/answers", json=body)
            assert answered.status_code in (200, 409), answered.text
            warned: tuple[str, ...] = ()
            if answered.status_code == 200:
                saved = answered.json()
                assert saved["accepted"] == [question]
                kind, made = "saved", saved["revision"]
                warned = tuple(each["kind"] for each in saved["warnings"] if each["id"] == question)
            else:
                kind, made = _kind_of_409(answered), None
            run.attempts.append(
                Attempt(client, question, value, by, base, answered.status_code, kind, made, warned)
            )


def _reading(path: Path, stop: threading.Event, run: Run) -> None:
    """Parse the answers file, without its lock, until ``stop``: a torn write fails its
    seal."""
    while not stop.is_set():
        raw = path.read_bytes()
        try:
            parse_sheet(raw, path)
        except StoreError as error:
            run.file_errors.append(str(error))
        run.file_reads += 1
        run.file_contents.add(hashlib.sha256(raw).hexdigest())
        stop.wait(READ_EVERY)


def _answering_in_terminal(team: Team, stop: threading.Event, run: Run) -> None:
    """Answer :data:`CLI_QUESTION` with ``interlock interview --answer`` until ``stop``
    (and at least once)."""
    after_stop = 0
    for number in itertools.count():
        if stop.is_set():
            if run.cli_saved:
                return
            after_stop += 1
            assert after_stop <= 5, "the command line never got the lock"
        value = f"The command line's answer number {number}, given while the server answers."
        done = subprocess.run(
            [
                *(sys.executable, "-m", "interlock", "interview", NAME),
                *("--answer", f"{CLI_QUESTION}={value}", "--by", "terminal", "--no-input"),
            ],
            cwd=team.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode == 0:
            run.cli_saved.append(value)
        elif BUSY in done.stdout + done.stderr:
            run.cli_busy += 1
        else:
            raise AssertionError(f"interlock interview failed: {done.stdout}{done.stderr}")


def _concurrent_run(url: str, team: Team, modes: list[str], *, terminal: bool) -> Run:
    """Run the clients (one per mode), a reader of the answers file and, if
    ``terminal``, the command line, all at once."""
    run = Run()
    stop = threading.Event()
    start = threading.Barrier(len(modes), timeout=60)
    with ThreadPoolExecutor(len(modes) + 2) as pool:
        background = [pool.submit(_reading, _answers_path(team), stop, run)]
        if terminal:
            background.append(pool.submit(_answering_in_terminal, team, stop, run))
        clients = [
            pool.submit(_answering, url, team, client, mode, start, run)
            for client, mode in enumerate(modes)
        ]
        try:
            for future in clients:
                future.result()
        finally:
            stop.set()
        for future in background:
            future.result()
    return run


def _check_run(team: Team, run: Run, before: AnswerSheet) -> None:
    """What holds after any concurrent run: the file loads, each question holds its
    client's last accepted value, and the audit lists exactly the accepted answers."""
    assert run.file_errors == []
    assert run.file_reads >= 20
    assert len(run.file_contents) > 1, "the reader never saw the file change"
    assert set(run.reads) <= {"200", "409 busy"}
    sheet = _sheet(team)
    for client, question in enumerate(OWN_QUESTIONS):
        saved = [attempt for attempt in run.saved() if attempt.client == client]
        if saved:
            assert sheet.answers[question].value == saved[-1].value, question
            assert sheet.answers[question].by == saved[-1].by, question
        else:
            assert sheet.answers.get(question) == before.answers.get(question), question
    state = ServerState.open(team.database, upgrade=False)
    try:
        events = state.audit(integration=NAME, limit=100_000)
    finally:
        state.close()
    audited = [
        event.detail
        for event in events
        if event.action == "answer" and str(event.detail.get("by")).startswith("client-")
    ]
    assert sorted(detail["by"] for detail in audited) == sorted(a.by for a in run.saved())
    by_marker = {attempt.by: attempt.question for attempt in run.saved()}
    assert all(detail["questions"] == [by_marker[detail["by"]]] for detail in audited)


def test_twenty_clients_and_the_command_line_answer_one_interview_at_once(team: Team) -> None:
    """Half the clients send the revision they just read, half the first one they read;
    the command line answers its own question meanwhile."""
    with served(team) as server:
        current = _start_interview(server.url, team)
        first_revision = current["revision"]
        before = _sheet(team)
        modes = ["fresh" if client % 2 == 0 else "stale" for client in range(CLIENTS)]
        run = _concurrent_run(server.url, team, modes, terminal=True)

        kinds = run.kinds()
        assert set(kinds) <= {"saved", "conflict", "busy"}
        assert kinds["saved"] >= 1
        # No two answers were accepted on top of the same revision: none overwrote
        # another it had not seen.
        bases = [attempt.base for attempt in run.saved()]
        assert len(bases) == len(set(bases))
        made = [attempt.revision for attempt in run.saved()]
        assert len(made) == len(set(made))
        for client in range(1, CLIENTS, 2):
            stale = [attempt for attempt in run.attempts if attempt.client == client]
            assert sum(attempt.kind == "saved" for attempt in stale) <= 1
            assert sum(attempt.kind == "conflict" for attempt in stale) >= len(stale) - 1
        _check_run(team, run, before)
        sheet = _sheet(team)
        assert run.cli_saved, f"the command line never saved (busy {run.cli_busy} times)"
        assert sheet.answers[CLI_QUESTION].value == run.cli_saved[-1]
        assert sheet.answers[CLI_QUESTION].by == "terminal"

        # The revision the interview started at is long gone: refused, nothing written.
        on_disk = _answers_path(team).read_bytes()
        with _client(server.url, team, "answerer") as http:
            stale_answer = http.post(
                f"/api/v1/integrations/{NAME}/answers",
                json={"answers": {"problem.summary": "Too late."}, "revision": first_revision},
            )
        assert stale_answer.status_code == 409
        assert _kind_of_409(stale_answer) == "conflict"
        assert _answers_path(team).read_bytes() == on_disk


def test_twenty_clients_without_a_revision_each_keep_their_own_answer(team: Team) -> None:
    """The last writer wins a question, but never loses another question's answer."""
    with served(team) as server:
        _start_interview(server.url, team)
        before = _sheet(team)
        run = _concurrent_run(server.url, team, ["none"] * CLIENTS, terminal=False)
    assert run.kinds()["conflict"] == 0
    saved_by = Counter(attempt.client for attempt in run.saved())
    assert sorted(saved_by) == list(range(CLIENTS)), "a client had no answer accepted"
    _check_run(team, run, before)
    # Questions not asked yet (their condition is not met) are answered all the same,
    # with a warning saying so; _check_run found their answers saved.
    not_asked = {attempt.question for attempt in run.saved() if "inactive" in attempt.warned}
    assert {"compat.deprecation", "data.backfill", "external.webhooks@stripe"} <= not_asked
    assert "scope.mapping" not in not_asked


# -- a server killed mid-burst ----------------------------------------------------------


@dataclass
class Burst:
    """What one burst of answers and comments had acknowledged when the server died."""

    acknowledged: dict[str, list[str]] = field(default_factory=dict)
    """Question → the values the server acknowledged (200), in order."""
    in_flight: dict[str, str] = field(default_factory=dict)
    """Question → the value sent when the connection broke (saved or not)."""
    markers: list[str] = field(default_factory=list)
    """The ``by`` of every acknowledged answer."""
    comments: list[tuple[str, str]] = field(default_factory=list)
    """(target, body) of every acknowledged comment."""
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    reached: threading.Event = field(default_factory=threading.Event)


def _answering_until_killed(
    server: ServerProcess, team: Team, client: int, tag: str, threshold: int, burst: Burst
) -> None:
    question = OWN_QUESTIONS[client]
    with _client(server.url, team, "answerer") as http:
        for number in range(BURST_LIMIT):
            value, by = _value(client, number, tag), f"{tag}-{client}-{number}"
            try:
                answered = http.post(
                    f"/api/v1/integrations/{NAME}/answers",
                    json={"answers": {question: value}, "by": by},
                )
            except httpx.TransportError:
                burst.in_flight[question] = value
                return
            assert answered.status_code == 200, answered.text
            with burst.lock:
                burst.acknowledged.setdefault(question, []).append(value)
                burst.markers.append(by)
                burst.count += 1
                if burst.count >= threshold:
                    burst.reached.set()


def _commenting_until_killed(
    server: ServerProcess, team: Team, role: str, tag: str, burst: Burst
) -> None:
    with _client(server.url, team, role) as http:
        for number in range(BURST_LIMIT):
            target, body = "question:problem.why", f"{role} remark {number} ({tag})"
            try:
                posted = http.post(
                    f"/api/v1/integrations/{NAME}/comments", json={"target": target, "body": body}
                )
            except httpx.TransportError:
                return
            assert posted.status_code == 201, posted.text
            with burst.lock:
                burst.comments.append((target, body))


def _burst_then_kill(server: ServerProcess, team: Team, threshold: int, tag: str) -> Burst:
    """Answer and comment from many clients at once; kill the server (SIGKILL) once
    ``threshold`` answers are acknowledged."""
    burst = Burst()
    tasks: list[Callable[[], None]] = [
        partial(_answering_until_killed, server, team, client, tag, threshold, burst)
        for client in range(CLIENTS)
    ]
    tasks += [
        partial(_commenting_until_killed, server, team, role, tag, burst)
        for role in ("viewer", "approver")
    ]
    with ThreadPoolExecutor(len(tasks)) as pool:
        futures = [pool.submit(task) for task in tasks]
        reached = burst.reached.wait(timeout=60)
        server.kill()
        for future in futures:
            future.result()
    assert reached, f"only {burst.count} answers were acknowledged before the kill"
    return burst


@dataclass
class Expected:
    """What must survive every kill."""

    values: dict[str, set[Any]] = field(default_factory=dict)
    """Question → the values it may hold now (more than one when an answer was in
    flight at the kill)."""
    markers: set[str] = field(default_factory=set)
    comments: list[tuple[str, str]] = field(default_factory=list)
    untouched: dict[str, Any] = field(default_factory=dict)
    """Answers no burst changes, as first saved."""


def _check_file_after_kill(team: Team, burst: Burst, expected: Expected) -> None:
    """The answers file loads and holds each question's last acknowledged answer (or the
    one in flight when the server died); other answers are as they were."""
    sheet = _sheet(team)
    for question in OWN_QUESTIONS:
        acknowledged = burst.acknowledged.get(question)
        allowed = {acknowledged[-1]} if acknowledged else set(expected.values[question])
        if question in burst.in_flight:
            allowed.add(burst.in_flight[question])
        held = sheet.answers[question].value if question in sheet.answers else None
        assert held in allowed, question
        expected.values[question] = {held}
    assert {key: sheet.answers[key].value for key in expected.untouched} == expected.untouched
    expected.markers.update(burst.markers)
    expected.comments.extend(burst.comments)


def _check_server_after_restart(server: ServerProcess, team: Team, expected: Expected) -> None:
    """Every token still signs in; every acknowledged comment, assignment and audit
    line is there; and the next round is served and answered."""
    for role in team.tokens:
        with _client(server.url, team, role) as http:
            me = http.get("/api/v1/me")
            assert me.status_code == 200, me.text
            assert me.json() == {"name": role, "role": role}
    with _client(server.url, team, "viewer") as http:
        listed = http.get(f"/api/v1/integrations/{NAME}/comments").json()["comments"]
        present = {(comment["target"], comment["body"]) for comment in listed}
        assert set(expected.comments) <= present
        assigned = http.get(f"/api/v1/integrations/{NAME}/assignments").json()
        assert assigned == {"assignments": {"testing": ["approver"]}}
        events = http.get("/api/v1/audit", params={"integration": NAME, "limit": 1000}).json()
    audited = {str(event["detail"].get("by")) for event in events["events"]}
    assert expected.markers <= audited
    actions = {event["action"] for event in events["events"]}
    assert {"create", "answer", "assign", "comment"} <= actions
    with _client(server.url, team, "answerer") as http:
        current = http.get(f"/api/v1/integrations/{NAME}/next")
        assert current.status_code == 200, current.text
        assert current.json()["questions"]
        saved = _answer_round(http, current.json())
    folder = IntegrationFolder(team.root, NAME)
    sheet = folder.sheet()
    assert folder.store.revision == saved["revision"]
    for question in saved["accepted"]:
        if question in OWN_QUESTIONS:
            expected.values[question] = {sheet.answers[question].value}
        else:
            expected.untouched[question] = sheet.answers[question].value


def test_a_killed_server_keeps_everything_it_acknowledged(team: Team) -> None:
    """Killed at three moments of a burst, the server loses no acknowledged answer,
    comment or audit line, and the next server carries on."""
    expected = Expected()
    with served(team) as server:
        _start_interview(server.url, team, rounds=2)
        with _client(server.url, team, "admin") as admin:
            assigned = admin.post(
                f"/api/v1/integrations/{NAME}/assignments",
                json={"phase": "testing", "person": "approver"},
            )
            assert assigned.status_code == 201, assigned.text
            commented = admin.post(
                f"/api/v1/integrations/{NAME}/comments",
                json={"target": "question:systems", "body": "Is SendGrid staying?"},
            )
            assert commented.status_code == 201, commented.text
        expected.comments.append(("question:systems", "Is SendGrid staying?"))
        sheet = _sheet(team)
        expected.values = {question: {None} for question in OWN_QUESTIONS}
        for question in OWN_QUESTIONS:
            if question in sheet.answers:
                expected.values[question] = {sheet.answers[question].value}
        expected.untouched = {
            key: answer.value for key, answer in sheet.answers.items() if key not in OWN_QUESTIONS
        }
        burst = _burst_then_kill(server, team, KILL_AFTER[0], "kill-1")
    _check_file_after_kill(team, burst, expected)
    for number, threshold in enumerate([*KILL_AFTER[1:], None], start=2):
        with served(team) as server:
            _check_server_after_restart(server, team, expected)
            if threshold is None:
                break
            burst = _burst_then_kill(server, team, threshold, f"kill-{number}")
        _check_file_after_kill(team, burst, expected)
