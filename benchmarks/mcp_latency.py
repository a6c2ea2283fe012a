"""Time ``interlock mcp`` over stdio: how fast it starts, and how fast a tool answers.

The server runs as a client such as Claude Code runs it: ``python -m interlock mcp
--workspace DIR`` as a subprocess, spoken to through the MCP SDK's stdio client, in a
temporary workspace made with ``interlock init``. Printed, each next to its target:

- start: from spawning the process to the reply to the first ``tools/list``, which
  covers the interpreter, the imports and the protocol handshake; the median of 5
  starts (target: at most 1 s);
- ``next_questions``: 200 round trips on a quick interview, p50 and p99 (target: p99 at
  most 50 ms);
- ``answer``: 200 round trips, each answering ``problem.summary`` with a new text, so
  each one takes the answers-file lock, checks the answer, saves the file and
  returns the next round; p50 and p99 (target: p99 at most 50 ms).

A round trip is timed in the client, from sending the request to reading the reply.
The first 5 calls of each tool are not counted: they load what the server imports on
first use. Run: ``.venv/bin/python benchmarks/mcp_latency.py [--starts N] [--calls N]
[--mode auto|legacy]``. ``--mode legacy`` speaks the classic ``initialize`` handshake
(revision 2025-11-25) instead of the stateless 2026-07-28 revision. The script exits 2
when a call fails, else 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, TextContent

TARGET_START_MS = 1000
TARGET_P99_MS = 50
WARM_UP_CALLS = 5
NAME = "bench-crm"


class CallFailed(Exception):
    """A tool call came back as an error: the figures would mean nothing."""


def main(argv: list[str] | None = None) -> int:
    """Make the workspace, run the measurements and print the table."""
    options = _parse(argv)
    with tempfile.TemporaryDirectory(prefix="interlock-mcp-bench-") as folder:
        root = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "interlock", "init"], cwd=root, check=True, capture_output=True
        )
        print(f"command: python -m interlock mcp --workspace {root}")
        print(f"client: MCP SDK stdio client, mode {options.mode}")
        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the runs"
        )
        try:
            anyio.run(_benchmark, root, options)
        except CallFailed as error:
            print(f"a call failed: {error}")
            return 2
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=5, help="server starts timed")
    parser.add_argument("--calls", type=int, default=200, help="round trips per tool")
    parser.add_argument(
        "--mode", choices=("auto", "legacy"), default="auto", help="the client's protocol mode"
    )
    options = parser.parse_args(argv)
    if options.starts < 1 or options.calls < 2:
        parser.error("--starts must be at least 1 and --calls at least 2")
    return options


async def _benchmark(root: Path, options: argparse.Namespace) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "interlock", "mcp", "--workspace", str(root)],
        cwd=str(root),
    )
    starts = [await _time_start(params, options.mode) for _ in range(options.starts)]
    async with Client(params, mode=options.mode, read_timeout_seconds=60) as client:
        protocol = client.protocol_version
        await _call(client, "start_interview", {"name": NAME, "depth": "quick"})
        asks = await _time_calls(
            options.calls, lambda _: _call(client, "next_questions", {"name": NAME})
        )
        answers = await _time_calls(
            options.calls,
            lambda number: _call(
                client,
                "answer",
                {
                    "name": NAME,
                    "answers": {
                        "problem.summary": f"Send new shop customers to the CRM ({number})."
                    },
                    "by": "Benchmark",
                },
            ),
        )
    print(f"protocol revision: {protocol}")
    starts_shown = ", ".join(f"{start:.0f}" for start in starts)
    print(f"starts, in order: {starts_shown} ms")
    _print_table(statistics.median(starts), len(starts), asks, answers)


async def _time_start(params: StdioServerParameters, mode: str) -> float:
    """Return the milliseconds from spawning the server to its first ``tools/list`` reply."""
    started = time.perf_counter()
    async with Client(params, mode=mode, read_timeout_seconds=60) as client:
        await client.list_tools()
        elapsed = time.perf_counter() - started
    return elapsed * 1000


async def _time_calls(count: int, call: Callable[[int], Awaitable[None]]) -> list[float]:
    for number in range(WARM_UP_CALLS):
        await call(-1 - number)
    samples = []
    for number in range(count):
        started = time.perf_counter()
        await call(number)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _call(client: Client, tool: str, arguments: dict[str, Any]) -> None:
    result: CallToolResult = await client.call_tool(tool, arguments)
    if result.is_error:
        text = " ".join(item.text for item in result.content if isinstance(item, TextContent))
        raise CallFailed(f"{tool}: {text}")


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def _print_table(start_ms: float, starts: int, asks: list[float], answers: list[float]) -> None:
    rows: list[tuple[str, str, str, bool | None]] = [
        (
            f"start to first reply, median of {starts}",
            f"{start_ms:.0f} ms",
            f"<= {TARGET_START_MS} ms",
            start_ms <= TARGET_START_MS,
        )
    ]
    for tool, samples in (("next_questions", asks), ("answer", answers)):
        p99 = _p99(samples)
        rows += [
            (f"{tool}, p50 of {len(samples)}", f"{statistics.median(samples):.2f} ms", "", None),
            (
                f"{tool}, p99 of {len(samples)}",
                f"{p99:.2f} ms",
                f"<= {TARGET_P99_MS} ms",
                p99 <= TARGET_P99_MS,
            ),
            (f"{tool}, slowest", f"{max(samples):.2f} ms", "", None),
        ]
    width = max(len(row[0]) for row in rows)
    print(f"\n{'measure':<{width}}  {'figure':>10}  {'target':<12} result")
    print("-" * (width + 33))
    for name, figure, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{name:<{width}}  {figure:>10}  {target:<12} {verdict}")


if __name__ == "__main__":
    sys.exit(main())
