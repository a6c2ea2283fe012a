"""Run a command as a whole process and measure its wall time and peak memory.

The command runs in a fresh interpreter under a small prelude that behaves like
``python -m interlock`` and, at exit, records three figures: the command's own peak
resident set (``VmHWM`` of ``/proc/self/status``; ``RUSAGE_SELF`` would include the
peak of the process that started it), the largest peak of the worker
processes it started and waited for (``RUSAGE_CHILDREN`` reports the maximum over
children, not their sum), and the CPU time of both, user and system, summed. A
sampler thread also sums the resident sets of the whole process tree from ``/proc``
every 50 ms, which catches the moment the command and all
its workers are alive together; pages shared between the command and its forked
workers count once per process there, so that figure errs on the high side.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PRELUDE = """\
import atexit, json, resource, runpy, sys

_out = sys.argv.pop(1)

def _own_peak(usage):
    # Linux carries the peak of the process that forked this one over the exec (the
    # benchmark, holding a parsed report, would be counted): the peak of this
    # process's own memory map is VmHWM.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return usage.ru_maxrss

def _record():
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    with open(_out, "w") as handle:
        json.dump({"own": _own_peak(own), "workers": workers.ru_maxrss, "cpu": cpu}, handle)

atexit.register(_record)
sys.argv[0] = "interlock"
runpy.run_module("interlock", run_name="__main__", alter_sys=True)
"""
_SAMPLE_SECONDS = 0.05
# ru_maxrss is in kilobytes on Linux and in bytes on macOS.
_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024


@dataclass(frozen=True, slots=True)
class Measured:
    """One run of a command: exit code, output and cost."""

    exit_code: int
    seconds: float
    own_peak_bytes: int | None
    worker_peak_bytes: int | None
    tree_peak_bytes: int | None
    stderr: str
    cpu_seconds: float | None = None
    """User and system CPU of the command and the workers it waited for."""


def run_measured(arguments: list[str], *, cwd: Path) -> Measured:
    """Run ``interlock ARGUMENTS`` in ``cwd`` and measure it."""
    handle, usage_file = tempfile.mkstemp(prefix="interlock-rusage-", suffix=".json")
    os.close(handle)
    command = [sys.executable, "-c", _PRELUDE, usage_file, *arguments]
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, stderr = process.communicate()
        seconds = time.perf_counter() - started
        sampler.stop()
        usage = _read_usage(Path(usage_file))
    finally:
        Path(usage_file).unlink(missing_ok=True)
    return Measured(
        exit_code=process.returncode,
        seconds=seconds,
        own_peak_bytes=_bytes(usage.get("own")),
        worker_peak_bytes=_bytes(usage.get("workers")) or None,
        tree_peak_bytes=sampler.peak or None,
        stderr=stderr,
        cpu_seconds=usage.get("cpu"),
    )


def best_of(runs: list[Measured]) -> Measured:
    """Combine repeated runs: the fastest wall time, the least CPU and the largest of
    each peak."""

    def largest(values: list[int | None]) -> int | None:
        known = [value for value in values if value is not None]
        return max(known) if known else None

    fastest = min(runs, key=lambda run: run.seconds)
    return Measured(
        exit_code=fastest.exit_code,
        seconds=fastest.seconds,
        own_peak_bytes=largest([run.own_peak_bytes for run in runs]),
        worker_peak_bytes=largest([run.worker_peak_bytes for run in runs]),
        tree_peak_bytes=largest([run.tree_peak_bytes for run in runs]),
        stderr=fastest.stderr,
        cpu_seconds=min(
            (run.cpu_seconds for run in runs if run.cpu_seconds is not None), default=None
        ),
    )


def time_command(command: list[str], *, cwd: Path) -> float:
    """Return the wall time of one run of ``command``, output discarded."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def interlock_command() -> list[str]:
    """Return how a user starts interlock: the installed script, else ``python -m``."""
    script = Path(sys.executable).with_name("interlock")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "interlock"]


def _read_usage(path: Path) -> dict[str, float]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    usage = {key: int(raw[key]) * _MAXRSS_UNIT for key in ("own", "workers") if key in raw}
    return {**usage, "cpu": float(raw["cpu"])} if "cpu" in raw else dict(usage)


def _bytes(value: float | None) -> int | None:
    return None if value is None else int(value)


class _TreeSampler:
    """Track the largest total resident set of a process and its descendants."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def start(self) -> None:
        if Path("/proc/self/statm").exists():
            self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(_SAMPLE_SECONDS):
            total = sum(self._resident(pid) for pid in self._tree())
            self.peak = max(self.peak, total)

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces or parentheses: fields follow the last ')'.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
        found = [self.pid]
        for pid in found:
            found.extend(children.get(pid, ()))
        return found

    def _resident(self, pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
        except (OSError, IndexError, ValueError):
            return 0


__all__ = ["Measured", "best_of", "interlock_command", "run_measured", "time_command"]
