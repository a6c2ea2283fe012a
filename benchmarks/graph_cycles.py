"""Time the traceability graph on a chain and a ring of 10,000 specs.

The unit tests check that finding cycles takes work in proportion to the number of
specs (they count lines run, never seconds); this script prints how long it takes,
next to its target (target: under 500 ms for each shape on the reference machine).
Run: ``.venv/bin/python benchmarks/graph_cycles.py [--specs N] [--repeat R]``; the
fastest of R runs is shown, as ``timeit`` does.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

from interlock.documents.model import DocumentKind
from interlock.workspace.graph import build_graph
from interlock.workspace.index import Link, SpecEntry, Workspace

TARGET_MS = 500


def chain(count: int, *, closed: bool) -> Workspace:
    """Return ``count`` specs each depending on the next; the last on the first if closed."""
    entries = []
    for number in range(count):
        target = number + 1
        links: tuple[Link, ...] = ()
        if target < count or closed:
            links = (Link("dependencies", f"s{target % count:05d}", 3),)
        entries.append(
            SpecEntry(Path(f"s{number:05d}.md"), f"s{number:05d}", 2, DocumentKind.SPECKIT, links)
        )
    return Workspace(entries=tuple(entries))


def main(argv: list[str] | None = None) -> int:
    """Build each workspace once, then time building its graph and finding its cycles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    print(f"{'shape':<6} {'specs':>7} {'cycles':>7} {'best ms':>8}  target")
    for shape, closed in (("chain", False), ("ring", True)):
        workspace = chain(options.specs, closed=closed)
        cycles = len(build_graph(workspace).cycles())
        seconds = min(
            timeit.repeat(
                lambda workspace=workspace: build_graph(workspace).cycles(),
                number=1,
                repeat=options.repeat,
            )
        )
        verdict = "PASS" if seconds * 1000 < TARGET_MS else "FAIL"
        print(
            f"{shape:<6} {options.specs:>7,} {cycles:>7} {seconds * 1000:>8.1f}  "
            f"< {TARGET_MS} ms {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
