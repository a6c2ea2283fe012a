"""The team server for tests: in process (through an HTTP test client) or as a real
``interlock serve`` process on a loopback port, over a fresh workspace with one token
per role."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from fastapi.testclient import TestClient

from interlock.folders.workspace import WorkspaceFolder
from interlock.server.app import create_app
from interlock.server.roles import Role
from interlock.server.state import ServerState, default_database_url
from support.answered import ORDER_ANSWERS

ROLES = tuple(Role)


@dataclass
class Team:
    """A workspace, its server's database, and a token of each role (by role label)."""

    root: Path
    database: str
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        """The ``Authorization`` header of the token of ``role``."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def new_team(root: Path, database: str | None = None) -> Team:
    """Make a workspace at ``root`` and a token for one person of each role (named
    after the role: ``viewer``, ``answerer``, ``approver``, ``admin``)."""
    WorkspaceFolder.create(root)
    url = database or default_database_url(root)
    state = ServerState.open(url)
    try:
        tokens = {role.label: state.create_token(role.label, role).secret for role in ROLES}
    finally:
        state.close()
    return Team(root, url, tokens)


@contextmanager
def team_client(team: Team) -> Iterator[TestClient]:
    """An HTTP client of the team's server, run in this process."""
    state = ServerState.open(team.database)
    try:
        with TestClient(create_app(team.root, state)) as client:
            yield client
    finally:
        state.close()


def free_port() -> int:
    """A TCP port free on the loopback address now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    """A running ``interlock serve``."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        """Stop it at once, as a crash or ``kill -9`` would."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def served(team: Team, *, port: int | None = None) -> Iterator[ServerProcess]:
    """Run ``interlock serve`` on the team's workspace and database until the block ends."""
    chosen = port or free_port()
    log = team.root.parent / f"serve-{chosen}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "interlock",
                "serve",
                "--workspace",
                str(team.root),
                "--port",
                str(chosen),
                "--database",
                team.database,
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    running = ServerProcess(process, f"http://127.0.0.1:{chosen}", log)
    try:
        _wait_until_up(running)
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                running.kill()


def _wait_until_up(running: ServerProcess, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"interlock serve exited: {running.log.read_text()}")
        try:
            if httpx.get(f"{running.url}/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"interlock serve did not start in {timeout} s: {running.log.read_text()}")


def complete_interview(
    http: httpx.Client, team: Team, name: str, *, approvers: list[str] | None = None
) -> int:
    """Answer every round of the begun interview ``name`` through the API, as an agent
    would, with the order-service example's answers (a question it lacks is skipped
    with a reason); then ``consumers.approvers``, asked only at full depth, so the
    roles that must approve are known. Return the number of rounds.

    ``http`` is any client of the server: FastAPI's test client is an httpx client.
    """
    given = yaml.safe_load(ORDER_ANSWERS.read_text(encoding="utf-8"))
    url = f"/api/v1/integrations/{name}"
    headers = team.headers("answerer")
    rounds = 0
    while not (current := _ok(http.get(f"{url}/next", headers=headers)))["complete"]:
        rounds += 1
        assert rounds < 80, "the interview does not end"
        ids = [question["id"] for question in current["questions"]]
        if known := {id_: given[id_] for id_ in ids if id_ in given}:
            body = {"answers": known, "revision": current["revision"]}
            _ok(http.post(f"{url}/answers", json=body, headers=headers))
        for missing in (id_ for id_ in ids if id_ not in given):
            body = {"id": missing, "reason": "not in the example"}
            _ok(http.post(f"{url}/skips", json=body, headers=headers))
    body = {"answers": {"consumers.approvers": approvers or given["consumers.approvers"]}}
    _ok(http.post(f"{url}/answers", json=body, headers=headers))
    return rounds


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, response.text
    data: dict[str, Any] = response.json()
    return data
