"""Scripted answers: an answers file read with its lines, a batch applied all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.errors import AnswerError, UsageError, YamlError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank
from interlock.interview.batch import AnswerBatch, apply_batch, read_answers_file
from interlock.interview.engine import Engine

STRIPE = [{"name": "Stripe", "kind": "external-api"}]


def test_an_answers_file_is_read_with_the_line_of_each_answer(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("problem.summary: Charge cards.\nsystems:\n  - name: Stripe\n", "utf-8")
    read = read_answers_file(path)
    assert read.values == {"problem.summary": "Charge cards.", "systems": [{"name": "Stripe"}]}
    assert read.lines[("systems",)] == 2


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("- a list\n", AnswerError, "a mapping of question id to value"),
        ("a: [\n", YamlError, "invalid YAML"),
        (None, UsageError, "cannot read answers file"),
    ],
    ids=["not-a-mapping", "not-yaml", "missing"],
)
def test_an_unusable_answers_file_names_itself(
    tmp_path: Path, text: str | None, error: type[Exception], words: str
) -> None:
    path = tmp_path / "answers.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=words) as caught:
        read_answers_file(path)
    assert str(caught.value).startswith(str(path))


def test_a_batch_applies_the_file_then_answers_then_skips() -> None:
    engine = Engine(load_bank("integration"))
    batch = AnswerBatch(
        answers=(("systems", STRIPE), ("external.auth@stripe", "oauth2")),
        skips=("problem.why",),
        reason="ask finance",
        owner="Priya",
    )
    sheet = apply_batch(engine, AnswerSheet(name="pay"), batch, by="ci")
    assert sheet.answers["external.auth@stripe"].value == "oauth2"
    why = sheet.answers["problem.why"]
    assert (why.skipped, why.reason, why.owner, why.by) == (True, "ask finance", "Priya", "ci")


def test_one_refused_answer_refuses_the_batch() -> None:
    engine = Engine(load_bank("integration"))
    batch = AnswerBatch(answers=(("problem.summary", "Fine."), ("problem.priority", "urgent")))
    with pytest.raises(AnswerError, match="'urgent' is not an option"):
        apply_batch(engine, AnswerSheet(name="pay"), batch, by="ci")
    assert not AnswerBatch() and batch
