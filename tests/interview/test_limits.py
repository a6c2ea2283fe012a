"""Bank expressions, texts and for_each stay within their bounds, and say so clearly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.errors import BankError
from interlock.interview import expressions
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import parse_bank
from interlock.interview.engine import Engine
from interlock.interview.expressions import (
    MAX_INSTANCES,
    Location,
    compile_expression,
    compile_text,
)
from support.hang_guard import within

FIXTURES = Path(__file__).parent / "fixtures"
HERE = Location("bank.yaml", 7, "question 'x', when")
SYSTEMS = [
    {"name": "Stripe", "kind": "external-api"},
    {"name": "SendGrid", "kind": "external-api"},
]


def _failure(source: str, variables: dict[str, Any] | None = None) -> BankError:
    expression = compile_expression(source, HERE)
    with pytest.raises(BankError) as caught:
        within(60, lambda: expression.evaluate(variables or {}))
    return caught.value


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("10 ** 10000000", "numbers of more than 100 digits"),
        ("((10 ** 64) ** 64) ** 64", "numbers of more than 100 digits"),
        ("2 ** 60 * 2 ** 60 * 2 ** 60 * 2 ** 300", "numbers of more than 100 digits"),
        ("'x'.center(2000000000)", "results longer than 10,000 characters"),
        ("'x'.zfill(2000000000)", "results longer than 10,000 characters"),
        ("'%0900000000d' | format(1)", "results longer than 10,000 characters"),
        ("'%0900000000d' % 1", "results longer than 10,000 characters"),
        ("'%*d' % (900000000, 1)", "'*' widths"),
        ("'{:>2000000000}'.format(1)", "results longer than 10,000 characters"),
        ("('x' * 5000) ~ ('x' * 6000)", "results longer than 10,000 characters"),
        ("('x' * 5000) + ('x' * 6000)", "results longer than 10,000 characters"),
        ("('x' * 100) | replace('x', 'y' * 1000)", "results longer than 10,000 characters"),
        ("('x' * 100).replace('x', 'y' * 1000)", "results longer than 10,000 characters"),
        ("range(10000) | map('string') | join", "results longer than 10,000 characters"),
        ("', '.join(range(10000) | map('string') | list)", "results longer than 10,000"),
        ("('x\\n' * 4000) | indent(1000)", "results longer than 10,000 characters"),
        ("[1] * 20000", "results of more than 10,000 items"),
        ("lipsum(1000000000)", "'lipsum' is undefined"),
    ],
)
def test_a_costly_expression_is_refused_quickly_with_its_place(source: str, message: str) -> None:
    error = _failure(source)
    assert message in error.message
    assert (error.path, error.line) == (Path("bank.yaml"), 7)
    assert error.message.startswith("question 'x', when: ")


def test_an_expression_past_the_deadline_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = expressions.ENVIRONMENT
    monkeypatch.setattr(environment, "limits", replace(environment.limits, seconds=0.2))
    term = "(range(100000) | map('abs') | sum)"
    error = _failure(" + ".join([term] * 20))
    assert "took longer than 0.2 seconds" in error.message


def test_a_text_that_recurses_names_its_question() -> None:
    text = compile_text(
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        Location("bank.yaml", 9, "question 'x', prompt"),
        fields=frozenset(),
    )
    with pytest.raises(BankError) as caught:
        within(60, lambda: text.render({}))
    assert "calls nest deeper than" in caught.value.message
    assert caught.value.line == 9


def test_a_text_that_writes_too_much_is_refused() -> None:
    text = compile_text(
        "{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}",
        Location("bank.yaml", 9, "question 'x', help"),
        fields=frozenset(),
    )
    with pytest.raises(BankError, match="writes more than 1,000,000 characters"):
        within(60, lambda: text.render({}))


_SMALL = st.integers(min_value=-(10**6), max_value=10**6)


@given(left=_SMALL, right=_SMALL, operator=st.sampled_from(["+", "-", "*", "//", "%"]))
def test_small_arithmetic_evaluates_as_python_does(left: int, right: int, operator: str) -> None:
    source = f"a {operator} b"
    expression = compile_expression(source, HERE)
    if operator in ("//", "%") and right == 0:
        with pytest.raises(BankError, match=r"division|modulo"):
            expression.evaluate({"a": left, "b": right})
        return
    assert expression.evaluate({"a": left, "b": right}) == eval(source, {"a": left, "b": right})


@given(
    base=st.integers(min_value=-1000, max_value=1000),
    exponent=st.integers(min_value=0, max_value=20),
    text=st.text(max_size=50),
    times=st.integers(min_value=0, max_value=100),
)
def test_small_powers_and_repeats_evaluate_as_python_does(
    base: int, exponent: int, text: str, times: int
) -> None:
    power = compile_expression("base ** exponent", HERE)
    assert power.evaluate({"base": base, "exponent": exponent}) == base**exponent
    repeated = compile_expression("text * times ~ text", HERE)
    assert repeated.evaluate({"text": text, "times": times}) == text * times + text


def _bank_with_for_each(for_each: str) -> Engine:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    original = "systems | selectattr('kind', 'equalto', 'external-api')"
    assert original in text
    changed = text.replace(f'"{original}"', f'"{for_each}"', 1)
    return Engine(parse_bank(changed, path="small.yaml"))


def _full_sheet(engine: Engine) -> AnswerSheet:
    sheet = AnswerSheet(name="orders", template="small", depth="full")
    return engine.answer(sheet, "systems", SYSTEMS)


def test_a_for_each_that_repeats_a_record_names_the_question_and_the_key() -> None:
    engine = _bank_with_for_each("systems + systems")
    with pytest.raises(BankError) as caught:
        engine.state(_full_sheet(engine))
    error = caught.value
    assert error.message.startswith("question 'api.auth', for_each: ")
    assert "gives the record 'stripe' twice" in error.message
    assert error.path == Path("small.yaml") and error.line is not None


def test_a_for_each_gives_at_most_so_many_records() -> None:
    engine = _bank_with_for_each("systems * 300")
    with pytest.raises(BankError) as caught:
        within(60, lambda: engine.state(_full_sheet(engine)))
    assert f"gives more than {MAX_INSTANCES} records" in caught.value.message
    assert caught.value.message.startswith("question 'api.auth', for_each: ")


def test_a_for_each_that_filters_its_records_still_expands_each_once() -> None:
    engine = _bank_with_for_each("systems | selectattr('kind', 'equalto', 'external-api')")
    state = engine.state(_full_sheet(engine))
    assert state.walk.expansions["api.auth"] == ("stripe", "sendgrid")
