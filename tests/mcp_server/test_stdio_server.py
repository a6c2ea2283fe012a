"""An MCP client from the official SDK drives ``interlock mcp`` over stdio.

Each test starts the server as a subprocess, as Claude Code or Cursor would, and talks
to it through the SDK's client: the whole interview, the documents, the validator, and
every bad input an agent could send.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
import yaml
from mcp import Client, MCPError, StdioServerParameters
from mcp.types import CallToolResult, TextContent

from support.cli_runs import interlock_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "order-service"
NAME = "order-service"


def workspace(root: Path) -> Path:
    root.mkdir(parents=True)
    interlock_process(root, "init", check=True)
    return root


@asynccontextmanager
async def connected(root: Path, *args: str, mode: str = "auto") -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "interlock", "mcp", "--workspace", str(root), *args],
        cwd=str(root),
        env={"PYTHONUNBUFFERED": "1", "GIT_AUTHOR_NAME": "Dana Ortiz"},
    )
    async with Client(params, mode=mode, read_timeout_seconds=120) as client:
        yield client


def run(
    root: Path, body: Callable[[Client], Awaitable[None]], *args: str, mode: str = "auto"
) -> None:
    async def main() -> None:
        async with connected(root, *args, mode=mode) as client:
            await body(client)

    anyio.run(main)


def text(result: CallToolResult) -> str:
    return " ".join(item.text for item in result.content if isinstance(item, TextContent))


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return result.structured_content


async def refused(client: Client, tool: str, **arguments: Any) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} accepted {arguments}"
    return text(result)


def order_answers() -> dict[str, Any]:
    loaded = yaml.safe_load((EXAMPLE / "answers.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def answer_values(path: Path) -> dict[str, Any]:
    """The answers file's values and skips, without who gave them or when."""
    sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: {field: value for field, value in entry.items() if field not in ("at", "by")}
        for key, entry in sheet["answers"].items()
    }


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_an_agent_runs_the_whole_interview_renders_and_validates(tmp_path: Path, mode: str) -> None:
    """Over stdio, both the current protocol and the classic handshake: the same answers
    file as the command line gives on the same answers."""
    root = workspace(tmp_path / "mcp")
    given = order_answers()
    rounds: list[list[str]] = []

    async def body(client: Client) -> None:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        assert tools == {
            "list_integrations",
            "start_interview",
            "next_questions",
            "answer",
            "skip",
            "revise",
            "status",
            "research_openapi",
            "research_asyncapi",
            "render",
            "validate",
        }
        assert "approve" not in tools
        current = await call(client, "start_interview", name=NAME, depth="standard")
        while not current["complete"]:
            ids = [question["id"] for question in current["questions"]]
            assert ids, current
            rounds.append(ids)
            assert len(rounds) < 60, "the interview does not end"
            answers = {id_: given[id_] for id_ in ids if id_ in given}
            assert answers, f"the example does not answer {ids}"
            current = await call(client, "answer", name=NAME, answers=answers, by="Dana Ortiz")
            assert current["accepted"] == list(answers)
        status = await call(client, "status", name=NAME)
        assert status["complete"]
        assert all(signal["met"] or signal["waived"] for signal in status["signals"])
        assert len(status["signals"]) == 7
        rendered = await call(client, "render", name=NAME)
        assert "spec.md" in " ".join(rendered["documents"])
        report = await call(client, "validate", preset="review")
        assert report["summary"]["errors"] == 0, report["findings"]
        spec = next(uri for uri in rendered["resources"] if uri.endswith(".md"))
        document = await client.read_resource(spec)
        assert document.contents[0].text.startswith("---") or "#" in document.contents[0].text
        listed = {resource.uri for resource in (await client.list_resources()).resources}
        assert {
            f"interlock://{NAME}/interview.yaml",
            "interlock://rules",
            *rendered["resources"],
        } <= listed

    run(root, body, mode=mode)
    # The same answers through the command line's protocol, round by round.
    cli_root = workspace(tmp_path / "cli")
    for ids in rounds:
        values = {id_: given[id_] for id_ in ids if id_ in given}
        batch = cli_root / "batch.yaml"
        batch.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
        interlock_process(
            cli_root,
            *("interview", NAME, "--depth", "standard", "--answers", str(batch)),
            *("--by", "Dana Ortiz", "--no-input"),
            check=True,
        )
    mcp_file = root / "specs" / NAME / "interview.yaml"
    cli_file = cli_root / "specs" / NAME / "interview.yaml"
    assert answer_values(mcp_file) == answer_values(cli_file)


def test_every_bad_call_is_an_error_result_and_the_server_keeps_serving(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    outside = tmp_path / "outside.yaml"
    outside.write_text("openapi: 3.0.0\n", encoding="utf-8")
    (root / "link.yaml").symlink_to(outside)

    async def body(client: Client) -> None:
        assert "no integration named 'ghost'" in await refused(
            client, "next_questions", name="ghost"
        )
        assert "no integration named" in await refused(client, "status", name="ghost")
        await call(client, "start_interview", name=NAME)
        result = await client.call_tool(
            "answer",
            {
                "name": NAME,
                "answers": {"problem.sumary": "x", "problem.why": "kept?", "systems": "no"},
            },
        )
        assert result.is_error
        assert "Nothing was saved" in text(result)
        assert result.structured_content is not None
        errors = {error["id"]: error for error in result.structured_content["errors"]}
        assert set(errors) == {"problem.sumary", "systems"}, "every refused answer, each once"
        assert "problem.summary" in errors["problem.sumary"]["hint"], "a did-you-mean"
        status = await call(client, "status", name=NAME)
        assert status["progress"]["answered"] == 0, "all or nothing: the good one is not saved"
        assert await refused(client, "answer", name=NAME, answers={"systems": "not a list"})
        assert await refused(client, "answer", name=NAME, answers={})
        assert await refused(client, "answer", name=NAME, answers="not an object")
        assert "reason" in await refused(client, "skip", name=NAME, id="problem.why", reason=" ")
        assert await refused(client, "start_interview", name="../escape")
        assert await refused(client, "start_interview", name=NAME, depth="deepest")
        for path in ("../outside.yaml", str(outside), "link.yaml"):
            message = await refused(
                client, "research_openapi", name=NAME, path=path, system_name="Stripe"
            )
            assert "outside the workspace" in message, path
        for location in ("https://example.com/openapi.yaml", "file:///etc/passwd"):
            message = await refused(
                client, "research_openapi", name=NAME, path=location, system_name="X"
            )
            assert "remote" in message, location
        assert "outside the workspace" in await refused(client, "validate", paths=["/etc"])
        with pytest.raises(MCPError):
            await client.read_resource(f"interlock://{NAME}/../../etc/passwd")
        with pytest.raises(MCPError):
            await client.read_resource("interlock://ghost/spec.md")
        # A hostile answer stays literal, as through the command line.
        hostile = "{{ 7*7 }} <script>alert(1)</script> $(rm -rf /) ]]>"
        await call(client, "answer", name=NAME, answers={"problem.summary": hostile})
        sheet = yaml.safe_load((root / "specs" / NAME / "interview.yaml").read_text())
        assert sheet["answers"]["problem.summary"]["value"] == hostile
        # Still serving.
        assert (await call(client, "next_questions", name=NAME))["questions"]

    run(root, body)


def test_read_only_refuses_every_writing_tool(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    interlock_process(
        root, "interview", NAME, "--answer", "problem.summary=Orders", "--no-input", check=True
    )
    before = (root / "specs" / NAME / "interview.yaml").read_bytes()

    async def body(client: Client) -> None:
        writes = {
            "start_interview": {"name": NAME},
            "answer": {"name": NAME, "answers": {"problem.why": "x"}},
            "skip": {"name": NAME, "id": "problem.why", "reason": "unknown"},
            "revise": {"name": NAME, "id": "problem.summary", "value": "y"},
            "research_openapi": {"name": NAME, "path": "x.yaml", "system_name": "X"},
            "research_asyncapi": {"name": NAME, "path": "x.yaml", "system_name": "X"},
            "render": {"name": NAME},
        }
        for tool, arguments in writes.items():
            assert "--read-only" in await refused(client, tool, **arguments), tool
        assert (await call(client, "next_questions", name=NAME))["questions"]
        assert (await call(client, "list_integrations"))["integrations"][0]["name"] == NAME

    run(root, body, "--read-only")
    assert (root / "specs" / NAME / "interview.yaml").read_bytes() == before


def test_the_prompt_and_the_rules_resource(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")

    async def body(client: Client) -> None:
        prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
        assert prompts == {"plan-integration"}
        prompt = await client.get_prompt("plan-integration", {"name": "billing"})
        words = prompt.messages[0].content.text  # type: ignore[union-attr]
        assert "billing" in words and "Never invent an answer" in words
        rules = await client.read_resource("interlock://rules")
        assert "IL201" in rules.contents[0].text  # type: ignore[union-attr]

    run(root, body)


class _RawServer:
    """``interlock mcp`` spoken to line by line, so a test can kill it at any moment."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "interlock", "mcp"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.next_id = 0
        self.initialized = self.request(
            "initialize",
            {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw", "version": "1"},
            },
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def call(self, tool: str, arguments: dict[str, Any], *, wait: bool = True) -> dict[str, Any]:
        return self.request("tools/call", {"name": tool, "arguments": arguments}, wait=wait)

    def request(self, method: str, params: dict[str, Any], *, wait: bool = True) -> dict[str, Any]:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        if not wait:
            return {}
        assert self.process.stdout is not None
        reply: dict[str, Any] = json.loads(self.process.stdout.readline())
        assert reply["id"] == self.next_id
        return reply["result"]

    def finish(self) -> str:
        """Close the server's input; return what it wrote after the replies, once it
        has exited cleanly."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        rest = self.process.stdout.read()
        assert self.process.wait(timeout=30) == 0
        return rest

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


def test_stdout_carries_only_protocol_messages(tmp_path: Path) -> None:
    """A client speaking the classic handshake by hand reads nothing but JSON-RPC."""
    server = _RawServer(workspace(tmp_path / "ws"))
    try:
        assert server.initialized["protocolVersion"] == "2025-06-18"
        assert server.call("next_questions", {"name": "ghost"})["isError"] is True
        assert len(server.request("tools/list", {})["tools"]) == 11
        assert server.finish() == "", "nothing but replies on stdout"
    finally:
        server.kill()


@pytest.mark.parametrize("delay", [0.0, 0.005, 0.02, 0.08])
def test_a_killed_server_loses_no_acknowledged_answer(tmp_path: Path, delay: float) -> None:
    """SIGKILL while an answer is being saved: every answer acknowledged before is in
    the answers file, the file loads, and a new server carries on."""
    import time

    root = workspace(tmp_path / "ws")
    server = _RawServer(root)
    try:
        assert not server.call("start_interview", {"name": NAME})["isError"]
        acknowledged = {}
        for number in range(3):
            value = f"Orders, take {number}"
            reply = server.call("answer", {"name": NAME, "answers": {"problem.summary": value}})
            assert not reply["isError"], reply
            acknowledged["problem.summary"] = value
        server.call("answer", {"name": NAME, "answers": {"problem.why": "in flight"}}, wait=False)
        time.sleep(delay)
    finally:
        server.kill()
    sheet = yaml.safe_load((root / "specs" / NAME / "interview.yaml").read_text(encoding="utf-8"))
    assert sheet["answers"]["problem.summary"]["value"] == acknowledged["problem.summary"]
    again = _RawServer(root)
    try:
        reply = again.call("answer", {"name": NAME, "answers": {"problem.why": "after the kill"}})
        assert not reply["isError"], reply
    finally:
        again.kill()


EVENTS = """\
asyncapi: 3.0.0
info: {title: Order events, version: '1.0.0'}
channels:
  orders:
    address: orders.created
    messages:
      created: {payload: {type: object, properties: {id: {type: string}}}}
operations:
  onOrderCreated:
    action: receive
    channel: {$ref: '#/channels/orders'}
"""


def test_research_from_documents_inside_the_workspace(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    (root / "vendor").mkdir()
    (root / "vendor" / "payments.yaml").write_bytes(
        (EXAMPLE / "payments-openapi.yaml").read_bytes()
    )
    (root / "vendor" / "events.yaml").write_text(EVENTS, encoding="utf-8")

    async def body(client: Client) -> None:
        await call(client, "start_interview", name=NAME)
        note = await call(
            client,
            "research_openapi",
            name=NAME,
            path="vendor/payments.yaml",
            system_name="Payments",
        )
        assert note["note"].startswith(f"specs/{NAME}/research/")
        read = await client.read_resource(note["resource"])
        assert "Payments" in read.contents[0].text  # type: ignore[union-attr]
        events = await call(
            client, "research_asyncapi", name=NAME, path="vendor/events.yaml", system_name="Broker"
        )
        listed = {resource.uri for resource in (await client.list_resources()).resources}
        assert {note["resource"], events["resource"]} <= listed

    run(root, body)


def test_an_agent_and_the_command_line_write_one_after_the_other(tmp_path: Path) -> None:
    """The same answers-file lock serialises them: every call of both succeeds, and
    neither overwrites what the other saved."""
    import threading

    root = workspace(tmp_path / "ws")
    rounds = 8
    cli_failures: list[str] = []

    def command_line() -> None:
        for number in range(rounds):
            done = interlock_process(
                root,
                "interview",
                NAME,
                "--no-input",
                "--answer",
                f"problem.why=CLI {number}",
                check=False,
            )
            if done.returncode != 0:
                cli_failures.append(done.stderr)

    async def body(client: Client) -> None:
        await call(client, "start_interview", name=NAME)
        writer = threading.Thread(target=command_line)
        writer.start()
        for number in range(rounds):
            await call(client, "answer", name=NAME, answers={"problem.summary": f"MCP {number}"})
        await anyio.to_thread.run_sync(writer.join)

    run(root, body)
    assert cli_failures == []
    sheet = yaml.safe_load((root / "specs" / NAME / "interview.yaml").read_text(encoding="utf-8"))
    assert sheet["answers"]["problem.summary"]["value"] == f"MCP {rounds - 1}"
    assert sheet["answers"]["problem.why"]["value"] == f"CLI {rounds - 1}"


def test_next_questions_is_the_command_lines_next_round(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    interlock_process(
        root,
        "interview",
        NAME,
        "--no-input",
        "--answer",
        "problem.summary=Orders from the web shop",
        check=True,
    )
    printed = interlock_process(root, "interview", NAME, "--next", "--json", check=True)

    async def body(client: Client) -> None:
        served = await call(client, "next_questions", name=NAME)
        assert served == json.loads(printed.stdout)

    run(root, body)


def test_opening_a_begun_interview_keeps_its_depth_and_who_skipped(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    outside = tmp_path / "secret.md"
    outside.write_text("not the workspace's\n", encoding="utf-8")

    async def body(client: Client) -> None:
        await call(client, "start_interview", name=NAME, depth="quick")
        await call(client, "start_interview", name=NAME)
        assert (await call(client, "status", name=NAME))["depth"] == "quick"
        await call(client, "skip", name=NAME, id="problem.why", reason="ask sales", by="Ana Ruiz")
        # A link out of the workspace in one integration's folder: that integration is
        # refused (its status says why); the others are still listed.
        await call(client, "start_interview", name="billing")
        research = root / "specs" / NAME / "research"
        research.mkdir(parents=True, exist_ok=True)
        (research / "leak.md").symlink_to(outside)
        listed = {resource.uri for resource in (await client.list_resources()).resources}
        assert "interlock://billing/interview.yaml" in listed
        assert not [uri for uri in listed if uri.startswith(f"interlock://{NAME}/")]
        with pytest.raises(MCPError):
            await client.read_resource(f"interlock://{NAME}/research/leak.md")
        assert "outside the workspace" in await refused(client, "status", name=NAME)
        (research / "leak.md").unlink()

    run(root, body)
    sheet = yaml.safe_load((root / "specs" / NAME / "interview.yaml").read_text(encoding="utf-8"))
    assert sheet["answers"]["problem.why"]["by"] == "Ana Ruiz"


DOCS = Path(__file__).resolve().parents[2] / "docs" / "mcp.md"


def client_configurations() -> list[dict[str, Any]]:
    """The server entries of every client configuration docs/mcp.md gives."""
    import re

    found = []
    for block in re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL):
        loaded = json.loads(block)
        servers = loaded.get("mcpServers") or loaded.get("servers") or {}
        found.extend(servers.values())
    return found


def test_the_documented_client_configurations_start_the_server(tmp_path: Path) -> None:
    """Each configuration of docs/mcp.md, with its placeholders filled in as the client
    would fill them, starts a server the SDK client can use."""
    configurations = client_configurations()
    assert len(configurations) >= 4, "Claude Code, Claude Desktop, Cursor, VS Code"
    root = workspace(tmp_path / "repo")
    interlock = Path(sys.executable).with_name("interlock")
    assert interlock.is_file(), "the installed command"
    for entry in configurations:
        assert entry.get("type", "stdio") == "stdio"
        assert Path(entry["command"]).name == "interlock"
        args = [
            str(root) if arg in ("${workspaceFolder}", "/path/to/repo") else arg
            for arg in entry["args"]
        ]
        assert args[0] == "mcp"
        params = StdioServerParameters(command=str(interlock), args=args, cwd=str(root))

        async def main(params: StdioServerParameters) -> None:
            async with Client(params, read_timeout_seconds=60) as client:
                names = {tool.name for tool in (await client.list_tools()).tools}
                assert "next_questions" in names
                assert (await client.call_tool("list_integrations", {})).is_error is False

        anyio.run(main, params)
