"""Time the interview engine and the document renderers; print the figures.

Targets (issue: the integration interview): computing the next round takes at most
5 ms at the 99th percentile with 20 named systems, and rendering all three documents
takes at most 200 ms. Run: ``.venv/bin/python benchmarks/interview.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank
from interlock.interview.engine import Engine
from interlock.render.documents import render_documents
from interlock.safe_yaml import load_yaml

FIXTURE = Path(__file__).resolve().parents[1] / "examples" / "order-service" / "answers.yaml"
KINDS = ("external-api", "internal-service", "database", "queue", "file-transfer")


def _systems(count: int) -> list[dict[str, Any]]:
    return [
        {"name": f"System {index:02d}", "kind": KINDS[index % len(KINDS)], "owner": "Team"}
        for index in range(count)
    ]


def _answer_everything(engine: Engine, sheet: AnswerSheet, limit: int = 400) -> AnswerSheet:
    """Answer or skip every pending question, round after round."""
    for _ in range(limit):
        current = engine.next_round(sheet)
        if current.complete:
            break
        for view in current.questions:
            sheet = engine.skip(sheet, view.id, reason="benchmark")
    return sheet


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99, ordered[-1]


def _time(function: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="samples per figure")
    parser.add_argument("--systems", type=int, default=20, help="named systems")
    args = parser.parse_args()
    engine = Engine(load_bank("integration"))
    sheet = AnswerSheet(name="bench")
    sheet = engine.answer(sheet, "systems", _systems(args.systems))
    early = sheet
    late = _answer_everything(engine, sheet)
    rows: list[tuple[str, list[float], float]] = []
    rows.append(
        (
            f"next round, {args.systems} systems just named",
            _time(lambda: engine.next_round(early), args.rounds),
            5.0,
        )
    )
    rows.append(
        (
            f"next round, {args.systems} systems, all asked",
            _time(lambda: engine.next_round(late), args.rounds),
            5.0,
        )
    )
    answers = load_yaml(FIXTURE.read_text(encoding="utf-8")).value
    full = engine.apply_answers(AnswerSheet(name="order-service"), answers, by="bench")
    render = lambda: render_documents(full, engine.bank, author="Bench")  # noqa: E731
    rows.append(("render 3 documents, first call", _time(render, 1), 200.0))
    rows.append(("render 3 documents, warm", _time(render, max(20, args.rounds // 10)), 200.0))
    print(f"{'figure':40} {'median':>9} {'p99':>9} {'max':>9} {'target':>9}  verdict")
    for label, samples, target in rows:
        median, p99, worst = _percentiles(samples)
        verdict = "PASS" if p99 <= target else "FAIL"
        print(f"{label:40} {median:8.2f}ms {p99:8.2f}ms {worst:8.2f}ms {target:8.0f}ms  {verdict}")


if __name__ == "__main__":
    main()
