"""Benchmark ``interlock validate`` on a generated corpus of realistic integration specs.

Writes N integration specs (seeded, so every run writes the same corpus) into a
temporary workspace, then runs the real command as a whole process,
``interlock validate specs --format json --output FILE``, and prints, each next to its
target:

- cold run (no cache): wall time, files per second, CPU time of the process tree and
  CPU per spec, findings per second;
- warm run (cache present, files unchanged): wall time, CPU and speed-up (target: 10x);
- peak memory: the command's own, its largest worker's and the whole process tree's;
- ``interlock --help`` wall time, median of 5 (target: under 300 ms).

Two corpus profiles (``--profile``): ``few-findings`` (the default) writes specs fully
written out, about 12 KB, with a handful of planted problems; ``many-findings`` writes
them as a team leaves a template it filled in, about 20 KB with 21 findings each
(guidance comments and open checklist items).

Run: ``.venv/bin/python benchmarks/validate_corpus.py [--files N] [--profile P]
[--jobs N] [--repeat R] [--cprofile SAMPLE] [--keep]``. With ``--repeat`` the fastest of
R cold and R warm runs is shown, as ``timeit`` does, because other work on the machine
only ever slows a run down. ``--cprofile`` adds a cProfile of the checks over the first
SAMPLE files (one process, no cache) and the slowest imports at start-up. The script
exits 2 when the command crashes or its report does not parse, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus_measure import Measured, best_of, interlock_command, run_measured, time_command
from corpus_profile import import_times, profile_checks
from corpus_specs import FEW_FINDINGS, MANY_FINDINGS, PROFILES, Corpus, write_corpus

TARGET_FILES_PER_SECOND = {FEW_FINDINGS: 1500}
"""Wall-time throughput targets, by corpus profile."""
TARGET_CPU_MS_PER_SPEC = {MANY_FINDINGS: 0.7}
"""CPU time per spec summed over all processes, by corpus profile."""
TARGET_FILES_AT = 10_000
TARGET_SPEEDUP = 10.0
TARGET_PEAK_MB = 200
TARGET_HELP_MS = 300
HELP_RUNS = 5
_MB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run the measurements and print the table."""
    options = _parse(argv)
    folder = Path(tempfile.mkdtemp(prefix="interlock-bench-"))
    try:
        return _benchmark(folder, options)
    finally:
        if options.keep:
            print(f"\nworkspace kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=TARGET_FILES_AT, help="specs to generate")
    parser.add_argument("--jobs", type=int, default=None, help="passed to validate --jobs")
    parser.add_argument("--seed", type=int, default=20240502, help="corpus random seed")
    parser.add_argument(
        "--profile", choices=PROFILES, default=FEW_FINDINGS, help="the kind of corpus"
    )
    parser.add_argument(
        "--cprofile", type=int, default=0, metavar="SAMPLE", help="also profile SAMPLE files"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="cold and warm runs each; the fastest is shown"
    )
    parser.add_argument(
        "--formats",
        default="",
        metavar="LIST",
        help="also measure these report formats (comma-separated: sarif, junit, text, "
        "github), each cold and warm",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated workspace")
    options = parser.parse_args(argv)
    if options.files < 1 or options.repeat < 1:
        parser.error("--files and --repeat must be at least 1")
    options.formats = [name for name in options.formats.split(",") if name]
    unknown = sorted(set(options.formats) - set(OTHER_FORMATS))
    if unknown:
        parser.error(f"unknown format {unknown[0]}; choose from {', '.join(OTHER_FORMATS)}")
    return options


def _benchmark(folder: Path, options: argparse.Namespace) -> int:
    (folder / ".interlock").mkdir()
    started = time.perf_counter()
    corpus = write_corpus(
        folder / "specs", options.files, seed=options.seed, profile=options.profile
    )
    generated = time.perf_counter() - started
    print(
        f"corpus: {corpus.files:,} {options.profile} specs, {corpus.total_bytes / _MB:.1f} MB "
        f"({corpus.total_bytes / corpus.files / 1024:.1f} KB each), "
        f"generated in {generated:.1f} s, in {folder}"
    )
    # The cache goes in the scratch folder too; --cache keeps it on where CI=true is set.
    cache = folder / "cache"
    os.environ["INTERLOCK_CACHE_DIR"] = str(cache)
    arguments = ["validate", "specs", "--cache", "--format", "json", "--output"]
    jobs = ["--jobs", str(options.jobs)] if options.jobs else []
    print(f"command: interlock {' '.join([*arguments, 'FILE', *jobs])}  (cwd: workspace)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the runs")
    colds: list[Measured] = []
    warms: list[Measured] = []
    same = True
    for _ in range(options.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(run_measured([*arguments, "cold.json", *jobs], cwd=folder))
        warms.append(run_measured([*arguments, "warm.json", *jobs], cwd=folder))
        if _failed(colds[-1]) or _failed(warms[-1]):
            return 2
        same = same and _same_bytes(folder / "cold.json", folder / "warm.json")
    cold, warm = best_of(colds), best_of(warms)
    helps = [time_command([*interlock_command(), "--help"], cwd=folder) for _ in range(HELP_RUNS)]
    report = _read_report(folder / "cold.json")
    if report is None:
        return 2
    _print_findings(report, corpus, same=same)
    findings = sum(report.by_rule.values())
    _print_table(corpus.files, findings, options.profile, cold, warm, statistics.median(helps))
    if options.repeat > 1:
        for name, runs in (("cold", colds), ("warm", warms)):
            shown = ", ".join(f"{run.seconds:.2f}" for run in runs)
            print(f"{name} runs, in order: {shown} s")
    for fmt in options.formats:
        measured = _measure_format(folder, fmt, jobs, cache)
        if measured is None:
            return 2
        _print_format(fmt, *measured)
    if options.cprofile:
        sample = sorted((folder / "specs").rglob("*.md"))[: options.cprofile]
        profile_checks(sample, specs=folder / "specs")
        import_times()
    return 0


OTHER_FORMATS = ("sarif", "junit", "text", "github")
_FINDING_RULE = re.compile(r'^      "rule": ("(?:[^"\\]|\\.)*"),$')
"""A finding's rule in the JSON report: findings are items of a top-level array."""


@dataclass(frozen=True, slots=True)
class _Report:
    """What the benchmark needs of a JSON report, read without holding the report."""

    by_rule: Counter[str]
    summary: dict[str, Any]


def _failed(run: Measured) -> bool:
    if run.exit_code in (0, 1):
        return False
    print(f"the command failed with exit code {run.exit_code}:\n{run.stderr}")
    return True


def _read_report(path: Path) -> _Report | None:
    """Count the report's findings by rule and read its summary, line by line: a
    report on 100,000 files is a gigabyte of JSON, too much to parse whole here."""
    by_rule: Counter[str] = Counter()
    summary: list[str] = []
    try:
        with path.open(encoding="utf-8") as report:
            for line in report:
                if summary or line.startswith('  "summary": '):
                    summary.append(line)
                elif match := _FINDING_RULE.match(line.rstrip("\n")):
                    by_rule[json.loads(match[1])] += 1
        text = "".join(summary).removeprefix('  "summary": ').rstrip().removesuffix("}")
        return _Report(by_rule, json.loads(text))
    except (OSError, ValueError) as error:
        print(f"the report {path} does not parse: {error}")
        return None


def _same_bytes(first: Path, second: Path) -> bool:
    with first.open("rb") as one, second.open("rb") as other:
        while True:
            left, right = one.read(1 << 20), other.read(1 << 20)
            if left != right:
                return False
            if not left:
                return True


def _measure_format(
    folder: Path, fmt: str, jobs: list[str], cache: Path
) -> tuple[Measured, Measured, bool] | None:
    """Run one cold and one warm validation reporting in ``fmt``."""
    arguments = ["validate", "specs", "--cache", "--format", fmt, "--output"]
    shutil.rmtree(cache, ignore_errors=True)
    cold = run_measured([*arguments, f"cold.{fmt}", *jobs], cwd=folder)
    warm = run_measured([*arguments, f"warm.{fmt}", *jobs], cwd=folder)
    if _failed(cold) or _failed(warm):
        return None
    return cold, warm, _same_bytes(folder / f"cold.{fmt}", folder / f"warm.{fmt}")


def _print_format(fmt: str, cold: Measured, warm: Measured, same: bool) -> None:
    print(f"\n--format {fmt}: warm report identical to cold: {'yes' if same else 'NO'}")
    for name, run in (("cold", cold), ("warm", warm)):
        for row in (
            (f"{name} run, wall time", f"{run.seconds:.2f} s", "", None),
            _memory_row(f"{name} peak, command", run.own_peak_bytes),
            _memory_row(f"{name} peak, process tree", run.tree_peak_bytes),
        ):
            label, figure, target, passed = row
            verdict = "" if passed is None else ("PASS" if passed else "FAIL")
            print(f"{label:<38}  {figure:>14}  {target:<48} {verdict}")


def _print_findings(report: _Report, corpus: Corpus, *, same: bool) -> None:
    planted = {
        "placeholder": corpus.placeholders,
        "open-question": corpus.open_questions,
        "dangling-link": corpus.dangling_links,
    }
    summary = report.summary
    print(
        f"report: {summary['files']:,} files, {summary['errors']:,} errors, "
        f"{summary['warnings']:,} warnings, {summary['infos']:,} infos; "
        f"warm report identical to cold: {'yes' if same else 'NO'}"
    )
    for rule, count in sorted(report.by_rule.items()):
        expected = f" (planted: {planted[rule]})" if rule in planted else ""
        print(f"  {rule:<22} {count:>6,}{expected}")


def _print_table(
    files: int, findings: int, profile: str, cold: Measured, warm: Measured, help_seconds: float
) -> None:
    rate = files / cold.seconds
    speedup = cold.seconds / warm.seconds
    wanted_rate = TARGET_FILES_PER_SECOND.get(profile)
    wanted_cpu = TARGET_CPU_MS_PER_SPEC.get(profile)
    rows: list[tuple[str, str, str, bool | None]] = [
        ("cold run, wall time", f"{cold.seconds:.2f} s", "", None),
        (
            "cold run, throughput",
            f"{rate:,.0f} files/s",
            f">= {wanted_rate:,} files/s" if wanted_rate else "",
            rate >= wanted_rate if wanted_rate else None,
        ),
        ("cold run, findings per second", f"{findings / cold.seconds:,.0f}", "", None),
    ]
    if cold.cpu_seconds is not None:
        per_spec = cold.cpu_seconds / files * 1000
        rows += [
            ("cold run, CPU (all processes)", f"{cold.cpu_seconds:.2f} s", "", None),
            (
                "cold run, CPU per spec",
                f"{per_spec:.2f} ms",
                f"<= {wanted_cpu} ms" if wanted_cpu else "",
                per_spec <= wanted_cpu if wanted_cpu else None,
            ),
        ]
    rows.append(("warm run, wall time", f"{warm.seconds:.2f} s", "", None))
    if warm.cpu_seconds is not None:
        rows.append(("warm run, CPU (all processes)", f"{warm.cpu_seconds:.2f} s", "", None))
    rows.append(
        ("warm run, speed-up", f"{speedup:.1f}x", f">= {TARGET_SPEEDUP:.0f}x", speedup >= 10)
    )
    for name, run in (("cold", cold), ("warm", warm)):
        rows.extend(
            _memory_row(f"{name} peak, {what}", value)
            for what, value in (
                ("command", run.own_peak_bytes),
                ("largest worker", run.worker_peak_bytes),
                ("process tree", run.tree_peak_bytes),
            )
        )
    help_ms = help_seconds * 1000
    rows.append(("interlock --help", f"{help_ms:.0f} ms", f"< {TARGET_HELP_MS} ms", help_ms < 300))
    width = max(len(row[0]) for row in rows)
    print(f"\n{'measure':<{width}}  {'figure':>14}  {'target':<48} result")
    print("-" * (width + 74))
    for name, figure, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{name:<{width}}  {figure:>14}  {target:<48} {verdict}")
    print(
        "\npeaks are resident set sizes; the tree figure is sampled every 50 ms and counts "
        "pages shared by the command and its forked workers once per process"
    )


def _memory_row(name: str, value: int | None) -> tuple[str, str, str, bool | None]:
    if value is None:
        return (name, "n/a", "", None)
    megabytes = value / _MB
    return (name, f"{megabytes:.0f} MB", f"<= {TARGET_PEAK_MB} MB", megabytes <= TARGET_PEAK_MB)


if __name__ == "__main__":
    sys.exit(main())
