"""Load ``interlock serve`` with concurrent clients over loopback; print latency and errors.

The server runs as a team runs it: ``python -m interlock serve`` as a subprocess on a
free port of 127.0.0.1, over a temporary workspace with an answerer's token, its
database the workspace's SQLite file. Each integration's interview is started at full
depth and its first two rounds are answered from ``examples/order-service/answers.yaml``
(so it names its systems, as one mid-interview does). Then ``--clients`` threads
(default 20), each with its own ``httpx.Client``, loop for ``--seconds`` (default 30):

1. ``GET /api/v1/integrations/NAME/next`` (the next round, with its revision), then
2. ``POST /api/v1/integrations/NAME/answers`` answering ``problem.summary`` with a new
   text: without a revision (the last writer wins), or with ``--revision`` the one
   just read, when a 409 is a conflict (someone answered in between), counted apart.

Each client answers its own integration, or with ``--shared`` all answer one, so that
every answer waits for the same answers-file lock. Without ``--pause`` the clients
send their next request as soon as the last reply is read, which keeps the server
saturated: a request's latency is then mostly its wait behind the other clients' (20
clients over N round trips a second wait about 20/N seconds). ``--pause SECONDS``
makes each client wait between round trips, as people who read a question do: a
random wait between none and twice SECONDS (so SECONDS on average), drawn apart for
each client so that they do not move in step.

A request is timed in the client, from sending it to reading the whole reply; each
client's first round trip is a warm-up and not counted. Printed: requests, throughput,
p50/p90/p99/max per operation, conflicts, errors (a status other than 2xx and the
expected 409s, or a connection that failed), the server's CPU time per request and its
peak resident memory (``VmHWM``). Targets: p99 at most 100 ms for each operation and
no errors; a miss prints MISS, and exits 1 only with ``--strict``. The host must be a
loopback address; the server is stopped at the end, Ctrl+C included.

Run: ``.venv/bin/python benchmarks/serve_load.py [--seconds 30] [--clients 20]
[--shared] [--revision] [--pause SECONDS] [--strict]``.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from interlock.folders.workspace import WorkspaceFolder
from interlock.server.roles import Role
from interlock.server.state import ServerState, default_database_url

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "order-service" / "answers.yaml"
TARGET_P99_MS = 100.0
PREPARED_ROUNDS = 2
QUESTION = "problem.summary"
OPERATIONS = ("next", "answer")
START_TIMEOUT = 30.0


@dataclass
class Tally:
    """What one client measured: latencies per operation, conflicts and errors."""

    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {operation: [] for operation in OPERATIONS}
    )
    conflicts: int = 0
    errors: Counter[str] = field(default_factory=Counter)


def main(argv: list[str] | None = None) -> int:
    """Make the workspace, start the server, load it and print the figures."""
    options = _parse(argv)
    try:
        return _benchmark(options)
    except KeyboardInterrupt:
        print("interrupted; the server is stopped")
        return 130


def _benchmark(options: argparse.Namespace) -> int:
    """Run the benchmark in a temporary workspace; the server is stopped however it ends."""
    with tempfile.TemporaryDirectory(prefix="interlock-serve-bench-") as folder:
        root = Path(folder) / "workspace"
        secret = _workspace(root)
        port = _free_port(options.host)
        server = _start_server(root, options.host, port, Path(folder) / "serve.log")
        try:
            url = f"http://{_url_host(options.host)}:{port}"
            names = _integrations(url, secret, options)
            print(f"command: python -m interlock serve --workspace {root} --port {port}")
            print(
                f"load: {options.clients} clients for {options.seconds:g} s, "
                + ("one shared integration" if options.shared else "an integration each")
                + (", answers sent with the revision read" if options.revision else "")
                + (f", {options.pause:g} s pause between round trips" if options.pause else "")
            )
            print(
                f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
                "before the run"
            )
            cpu_before = _cpu_seconds(server.pid)
            tallies, elapsed = _load(url, secret, names, options)
            cpu = _cpu_seconds(server.pid) - cpu_before
            peak = _peak_memory(server.pid)
        finally:
            _stop(server)
    return _report(tallies, elapsed, cpu, peak, options)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the load runs")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--shared", action="store_true", help="all clients answer one integration")
    parser.add_argument(
        "--revision",
        action="store_true",
        help="send the revision read with each answer; a 409 then counts as a conflict",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds each client waits between round trips (0: none, the server saturated)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="loopback address to serve on (127.0.0.1 or ::1)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args(argv)
    if not 0 < options.seconds <= 600:
        parser.error("--seconds must be more than 0 and at most 600")
    if not 0 <= options.pause <= 60:
        parser.error("--pause must be between 0 and 60 seconds")
    if not 1 <= options.clients <= 200:
        parser.error("--clients must be between 1 and 200")
    if not _loopback(options.host):
        parser.error(f"--host {options.host!r} is not a loopback address; use 127.0.0.1 or ::1")
    return options


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _workspace(root: Path) -> str:
    """Create the workspace and an answerer's token; return the token."""
    WorkspaceFolder.create(root)
    state = ServerState.open(default_database_url(root))
    try:
        return state.create_token("bench", Role.ANSWERER).secret
    finally:
        state.close()


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _start_server(root: Path, host: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start ``interlock serve`` and wait until it answers."""
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "interlock", "serve", "--workspace", str(root)),
                *("--host", host, "--port", str(port)),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://{_url_host(host)}:{port}/openapi.json"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"interlock serve exited:\n{log.read_text()}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"interlock serve did not start in {START_TIMEOUT:g} s")
            time.sleep(0.1)
    except BaseException:
        _stop(server)
        raise


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _integrations(url: str, secret: str, options: argparse.Namespace) -> list[str]:
    """Start the integrations the clients answer; return each client's."""
    given = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    count = 1 if options.shared else options.clients
    names = [f"bench-{number:03d}" for number in range(count)]
    with httpx.Client(base_url=url, headers=_headers(secret), timeout=60) as http:
        for name in names:
            started = http.post("/api/v1/integrations", json={"name": name, "depth": "full"})
            started.raise_for_status()
            current = started.json()
            for _ in range(PREPARED_ROUNDS):
                ids = [question["id"] for question in current["questions"]]
                answers = {key: given[key] for key in ids if key in given}
                answered = http.post(
                    f"/api/v1/integrations/{name}/answers", json={"answers": answers}
                )
                answered.raise_for_status()
                current = answered.json()
    return names if not options.shared else names * options.clients


def _headers(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _load(
    url: str, secret: str, names: list[str], options: argparse.Namespace
) -> tuple[list[Tally], float]:
    """Run the clients until the time is up; return what each measured, and the
    seconds the timed part took."""
    tallies = [Tally() for _ in names]
    ready = threading.Barrier(len(names) + 1)
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_client,
            args=(url, secret, name, number, tallies[number], ready, stop, options),
            daemon=True,
        )
        for number, name in enumerate(names)
    ]
    for thread in threads:
        thread.start()
    try:
        ready.wait()
        started = time.perf_counter()
        stop.wait(options.seconds)
    finally:
        stop.set()
        ready.abort()  # lets go of clients still waiting to start (after Ctrl+C)
        for thread in threads:
            thread.join()
    return tallies, time.perf_counter() - started


def _client(
    url: str,
    secret: str,
    name: str,
    number: int,
    tally: Tally,
    ready: threading.Barrier,
    stop: threading.Event,
    options: argparse.Namespace,
) -> None:
    """Read the next round and answer, again and again, until ``stop``."""
    with httpx.Client(base_url=url, headers=_headers(secret), timeout=60) as http:
        _round_trip(http, name, number, 0, Tally(), options.revision)  # warm-up
        # People do not answer in step: each pause is drawn between none and twice
        # --pause, the first one too, from a sequence of the client's own.
        pauses = random.Random(number)
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            return
        for attempt in range(1, sys.maxsize):
            if options.pause:
                stop.wait(pauses.uniform(0, 2 * options.pause))
            if stop.is_set():
                return
            _round_trip(http, name, number, attempt, tally, options.revision)


def _round_trip(
    http: httpx.Client, name: str, number: int, attempt: int, tally: Tally, revision: bool
) -> None:
    shown = _timed(http, "next", "GET", f"/api/v1/integrations/{name}/next", None, tally)
    if shown is None or shown.status_code != 200:
        return
    body: dict[str, Any] = {
        "answers": {
            QUESTION: f"Send each new web-shop customer to the CRM within a minute "
            f"(client {number}, answer {attempt})."
        }
    }
    if revision:
        body["revision"] = shown.json()["revision"]
    _timed(http, "answer", "POST", f"/api/v1/integrations/{name}/answers", body, tally)


def _timed(
    http: httpx.Client,
    operation: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    tally: Tally,
) -> httpx.Response | None:
    """Send one request and file its latency, or its error, under ``operation``."""
    started = time.perf_counter()
    try:
        response = http.request(method, path, json=body)
    except httpx.HTTPError as error:
        tally.errors[f"{operation}: {type(error).__name__}"] += 1
        return None
    tally.latencies[operation].append((time.perf_counter() - started) * 1000)
    if response.status_code == 409 and body is not None and "revision" in body:
        tally.conflicts += 1
    elif not response.is_success:
        tally.errors[f"{operation}: HTTP {response.status_code}"] += 1
    return response


def _peak_memory(pid: int) -> str:
    """The process's peak resident memory, from ``/proc/PID/status`` (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "unknown (no /proc)"
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            kilobytes = int(line.split()[1])
            return f"{kilobytes / 1024:.0f} MB"
    return "unknown"


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the process has used, from ``/proc/PID/stat``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    # After the command's closing parenthesis, utime and stime are the 12th and 13th.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _quantile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _report(
    tallies: list[Tally], elapsed: float, cpu: float, peak: str, options: argparse.Namespace
) -> int:
    """Print the figures and the verdicts; return the exit code."""
    errors: Counter[str] = Counter()
    for tally in tallies:
        errors.update(tally.errors)
    conflicts = sum(tally.conflicts for tally in tallies)
    per_operation = {
        operation: [sample for tally in tallies for sample in tally.latencies[operation]]
        for operation in OPERATIONS
    }
    requests = sum(len(samples) for samples in per_operation.values()) + sum(errors.values())
    print(f"\nrequests: {requests} in {elapsed:.1f} s, {requests / elapsed:.0f} per second")
    saved = len(per_operation["answer"]) - conflicts
    print(f"answers saved: {saved}, conflicts (409): {conflicts}")
    print(
        f"server CPU: {cpu:.1f} s in {elapsed:.1f} s ({cpu / elapsed:.0%} of one CPU), "
        f"{cpu * 1000 / max(requests, 1):.1f} ms per request"
    )
    print(f"server peak memory (VmHWM): {peak}")
    header = f"{'operation':<10} {'count':>7} {'p50':>9} {'p90':>9} {'p99':>9} {'max':>9}  target"
    print(f"\n{header}\n{'-' * (len(header) + 12)}")
    missed = False
    for operation, samples in per_operation.items():
        if not samples:
            print(f"{operation:<10} {0:>7}  (no reply)")
            missed = True
            continue
        p99 = _quantile(samples, 0.99)
        verdict = "PASS" if p99 <= TARGET_P99_MS else "MISS"
        missed = missed or verdict == "MISS"
        figures = " ".join(
            f"{value:>6.1f} ms"
            for value in (
                statistics.median(samples),
                _quantile(samples, 0.90),
                p99,
                max(samples),
            )
        )
        print(f"{operation:<10} {len(samples):>7} {figures}  p99 <= {TARGET_P99_MS:g} ms {verdict}")
    total = sum(errors.values())
    print(f"\nerrors: {total}  target 0 {'PASS' if total == 0 else 'MISS'}")
    for what, count in errors.most_common():
        print(f"  {what}: {count}")
    missed = missed or total > 0
    return 1 if missed and options.strict else 0


if __name__ == "__main__":
    sys.exit(main())
