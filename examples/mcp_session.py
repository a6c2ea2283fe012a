"""An AI agent's side of an interview: ``interlock mcp`` driven over stdio.

``make demo`` runs this; alone, run ``.venv/bin/python examples/mcp_session.py``. It makes
a temporary workspace, starts ``interlock mcp`` as Claude Code or Cursor would (a
subprocess spoken to through the MCP SDK's client) and plays the agent: it starts the
interview of "demo-crm" at quick depth, answers two rounds with what a person might
have said, skips one question with a reason and an owner, asks where the interview
stands and reads the answers file. It prints each call (→) and the text the server
returned (←). The workspace is deleted at the end.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters
from mcp.types import TextContent

NAME = "demo-crm"
PERSON = "Priya Raman"

# What the person said, by question id. A question the bank asks that is not here gets
# its recommended option, or its first one, so the script follows a changed bank.
SAID: dict[str, Any] = {
    "problem.summary": "When a customer signs up in the web shop, the shop creates the "
    "contact in HubSpot within a minute, and sales sees the customer's orders there.",
    "problem.why": "Sales copies about 200 new customers a week into HubSpot by hand: "
    "6 hours a week, and one customer in twenty is missed.",
    "systems": [
        {"name": "HubSpot", "kind": "external-api", "owner": "Sales ops", "criticality": "high"}
    ],
    "scope.operations": [
        "Create a contact when a customer signs up",
        "Update the contact when the customer changes their e-mail or address",
        "Add each paid order to the contact's timeline",
    ],
    "scope.pattern": "async-queue",
    "design.contract": "none",
}
# The question the person cannot answer yet: its id, why, and who will find out.
DONT_KNOW = (
    "data.schema_change",
    "The shop team has not decided whether to store the HubSpot contact id",
    "Shop team",
)


async def session(root: Path) -> None:
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "interlock", "mcp", "--workspace", str(root)],
        cwd=str(root),
    )
    async with Client(server, read_timeout_seconds=60) as agent:
        print(f"$ interlock mcp --workspace {root}   (protocol {agent.protocol_version})")
        tools = [tool.name for tool in (await agent.list_tools()).tools]
        print(f"tools: {', '.join(tools)}")
        current = await call(agent, "start_interview", name=NAME, depth="quick")
        for _ in range(2):
            answers = {
                question["id"]: SAID.get(question["id"], fallback(question))
                for question in current["questions"]
                if question["id"] != DONT_KNOW[0]
            }
            current = await call(agent, "answer", name=NAME, answers=answers, by=PERSON)
        question, reason, owner = DONT_KNOW
        await call(agent, "skip", name=NAME, id=question, reason=reason, owner=owner)
        await call(agent, "status", name=NAME)
        await read(agent, f"interlock://{NAME}/interview.yaml", question)


async def call(agent: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    """Call ``tool``, print it and the server's reply, and return its structured result."""
    shown = {key: value for key, value in arguments.items() if key != "answers"}
    print(f"→ {tool}({', '.join(f'{key}={value!r}' for key, value in shown.items())})")
    for key, value in arguments.get("answers", {}).items():
        print(f"    {key} = {textwrap.shorten(repr(value), 64, placeholder=' …')}")
    result = await agent.call_tool(tool, arguments)
    text = " ".join(item.text for item in result.content if isinstance(item, TextContent))
    print(textwrap.indent(text, "← ", lambda line: True))
    if result.is_error or result.structured_content is None:
        sys.exit(f"mcp_session: {tool} failed")
    return result.structured_content


async def read(agent: Client, uri: str, question: str) -> None:
    """Read the answers file and print its opening lines and the entry of ``question``."""
    print(f"→ read_resource({uri!r})")
    contents = (await agent.read_resource(uri)).contents[0]
    lines = contents.text.splitlines() if hasattr(contents, "text") else []
    start = lines.index(f"  {question}:")
    end = next(
        (number for number in range(start + 1, len(lines)) if not lines[number].startswith("    ")),
        len(lines),
    )
    # Who recorded it and when change from run to run; the rest is the record.
    entry = [line for line in lines[start:end] if not line.startswith(("    by:", "    at:"))]
    for line in [*lines[1:4], "…", *entry]:
        print(f"← {line}")
    print(f"← ({len(lines)} lines in all)")


def fallback(question: dict[str, Any]) -> Any:
    """Return an answer for a question ``SAID`` does not cover."""
    options = [option["value"] for option in question["options"]]
    recommended = [option["value"] for option in question["options"] if option["recommended"]]
    chosen = (recommended or options or [None])[0]
    if question["kind"] in ("choice", "multi"):
        return [chosen] if question["kind"] == "multi" else chosen
    defaults = {"number": 1, "boolean": True, "list": ["To be confirmed"]}
    return defaults.get(question["kind"], "To be confirmed with the person")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="interlock-mcp-") as folder:
        root = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "interlock", "init"], cwd=root, check=True, capture_output=True
        )
        print(f"$ interlock init   (in {root})")
        anyio.run(session, root)


if __name__ == "__main__":
    main()
