"""Show where a validation run spends its time: a profile of the checks and of start-up.

:func:`profile_checks` runs :func:`interlock.validate.runner.validate_paths` in this
process, on one core (``jobs=1``) and without the cache, under :mod:`cProfile`, and
prints the functions with the most time of their own and the most time in total.
:func:`import_times` runs ``interlock --help`` under ``python -X importtime`` and
prints the modules that cost the most to import, which is most of start-up.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def profile_checks(files: list[Path], *, specs: Path, top: int = 25) -> None:
    """Profile a one-process, uncached run over ``files`` and print the hot spots.

    The files are copied into a workspace of their own first: validating some specs of
    a workspace also reads all the others, whose ids the requested ones may link to.
    """
    from interlock.validate.runner import ConfigRequest, validate_paths

    with tempfile.TemporaryDirectory(prefix="interlock-profile-") as folder:
        root = Path(folder)
        (root / ".interlock").mkdir()
        for path in files:
            target = root / "specs" / path.relative_to(specs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        request = ConfigRequest(root)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        result = validate_paths([root / "specs"], request, jobs=1, use_cache=False, cwd=root)
        profiler.disable()
        seconds = time.perf_counter() - started
    print(
        f"\nProfile of validate_paths over {len(files):,} files, jobs=1, no cache: "
        f"{seconds:.2f} s under the profiler ({len(result.findings):,} findings)"
    )
    for order, title in (("tottime", "own time"), ("cumulative", "total time")):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n-- top {top} by {title} --")
        print(_table_only(stream.getvalue()))


def import_times(*, top: int = 15) -> None:
    """Print the slowest imports of ``python -m interlock --help``."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "interlock", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    rows: list[tuple[int, int, int, str]] = []
    for line in completed.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            own, total, indent, name = match.groups()
            rows.append((int(total), int(own), len(indent) // 2, name))
    top_level = sorted((row for row in rows if row[2] <= 1), reverse=True)[:top]
    everything = sum(row[0] for row in rows if row[2] == 0)
    print(f"\nImports of 'interlock --help': {everything / 1000:.0f} ms in total")
    print(f"{'cumulative ms':>14} {'own ms':>8}  module")
    for total, own, depth, name in top_level:
        print(f"{total / 1000:14.1f} {own / 1000:8.1f}  {'  ' * depth}{name}")


def _table_only(report: str) -> str:
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


__all__ = ["import_times", "profile_checks"]
