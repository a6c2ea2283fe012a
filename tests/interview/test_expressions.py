"""The expression language of banks: sandboxed Jinja, checked at load, literal text."""

import textwrap

import pytest

from interlock.errors import BankError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import parse_bank
from interlock.interview.engine import Engine
from interlock.interview.expressions import Location, compile_expression, compile_text

HERE = Location("bank.yaml", 7, "question 'x', when")

HEAD = """\
name: team
title: Team bank
phases:
  - {id: one, title: One}
  - {id: two, title: Two}
questions:
  - id: intro.count
    phase: one
    kind: number
    prompt: How many?
  - id: systems
    phase: one
    kind: entities
    prompt: Which systems?
    fields:
      - {name: name, required: true}
      - {name: kind, kind: choice, options: [api, db]}
    required: false
  - id: api.auth
    phase: two
    for_each: "systems | selectattr('kind', 'equalto', 'api')"
    kind: choice
    options: [key, oauth]
    prompt: "{name}: how do we log in?"
"""


def _bank(extra: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(extra), "  ")


def _line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


def _load_error(extra: str) -> BankError:
    with pytest.raises(BankError) as caught:
        parse_bank(_bank(extra), path="team.yaml")
    return caught.value


def test_an_expression_reads_only_its_names() -> None:
    expression = compile_expression("'retry' in mode and count > 2", HERE)
    assert expression.names == {"mode", "count"}
    assert expression.evaluate({"mode": ["retry"], "count": 3, "unrelated": object()}) is True
    assert expression.evaluate({"mode": [], "count": 3}) is False


def test_a_bare_name_is_a_name_the_expression_reads() -> None:
    assert compile_expression("enabled", HERE).names == {"enabled"}


def test_filters_select_records() -> None:
    expression = compile_expression("systems | selectattr('kind', 'equalto', 'api') | list", HERE)
    systems = [{"name": "Stripe", "kind": "api"}, {"name": "Orders DB", "kind": "db"}]
    assert expression.evaluate({"systems": systems}) == [systems[0]]


def test_an_expression_that_does_not_compile_names_its_place() -> None:
    with pytest.raises(BankError) as caught:
        compile_expression("count >", HERE)
    error = caught.value
    assert str(error).startswith("bank.yaml:7: question 'x', when: 'count >' does not compile")


def test_an_unknown_filter_is_found_when_compiling() -> None:
    with pytest.raises(BankError, match="does not compile: No filter named 'shout'"):
        compile_expression("name | shout", HERE)


@pytest.mark.parametrize(
    "source",
    [
        "''.__class__.__mro__",
        "answers.__class__",
        "'x' * 100000",
        "[1] * 20000",
        "2 ** 1000",
        "answers.clear()",
        "answers.update({'a': 1})",
    ],
    ids=["dunder", "class-of-mapping", "huge-string", "huge-list", "huge-power", "mutate", "upd"],
)
def test_the_sandbox_refuses_unsafe_or_costly_operations(source: str) -> None:
    expression = compile_expression(source, HERE)
    with pytest.raises(BankError) as caught:
        expression.evaluate({"answers": {"a": 1}})
    assert caught.value.line == 7
    assert "failed" in caught.value.message


def test_an_undefined_name_at_evaluation_is_a_bank_error() -> None:
    expression = compile_expression("missing > 3", HERE)
    with pytest.raises(BankError, match="'missing' is undefined"):
        expression.evaluate({})


@pytest.mark.parametrize(
    ("extra", "message", "marker"),
    [
        (
            """\
            - id: later
              phase: one
              kind: text
              when: "intro_cont > 3"
              prompt: Why?
            """,
            "unknown name 'intro_cont'",
            'when: "intro_cont > 3"',
        ),
        (
            """\
            - id: early
              phase: one
              kind: text
              when: "late_flag"
              prompt: Why?
            - id: late.flag
              phase: two
              kind: boolean
              prompt: Flag?
            """,
            "it reads 'late.flag', which is asked later",
            'when: "late_flag"',
        ),
        (
            """\
            - id: summary
              phase: two
              kind: text
              when: "api_auth == 'oauth'"
              prompt: Why?
            """,
            "'api_auth' is asked per entity of 'systems'",
            'when: "api_auth == ',
        ),
        (
            """\
            - id: summary
              phase: two
              kind: text
              when: "entity.kind == 'api'"
              prompt: Why?
            """,
            "'entity' is only defined in per-entity questions",
            'when: "entity.kind',
        ),
        (
            """\
            - id: loop
              phase: two
              kind: boolean
              when: "loop"
              prompt: Loop?
            """,
            "it reads its own answer",
            'when: "loop"',
        ),
        (
            """\
            - id: recap
              phase: two
              kind: boolean
              when: "decisions"
              prompt: Recap?
            """,
            "'decisions' is only defined in prompts and help texts",
            'when: "decisions"',
        ),
        (
            """\
            - id: more.systems
              phase: one
              kind: entities
              prompt: More?
              fields: [{name: name, required: true}]
            - id: both
              phase: two
              kind: text
              for_each: "systems + more_systems"
              prompt: "{name}?"
            """,
            "it must iterate exactly one entities question, but reads 'more.systems' (an entities",
            'for_each: "systems + more_systems"',
        ),
        (
            """\
            - id: answers
              phase: two
              kind: text
              prompt: Answers?
            """,
            "'answers' is reserved for expressions",
            "- id: answers",
        ),
        (
            """\
            - id: intro_count
              phase: two
              kind: text
              prompt: Again?
            """,
            "its variable 'intro_count' is also the variable of 'intro.count'",
            "- id: intro_count",
        ),
        (
            """\
            - id: api.note
              phase: two
              for_each: "systems | selectattr('kind', 'equalto', 'api')"
              kind: text
              prompt: "{name} ({owner})?"
            """,
            "unknown placeholder {owner}",
            'prompt: "{name} ({owner})?"',
        ),
        (
            """\
            - id: recap
              phase: two
              kind: text
              prompt: "{% for d in decisions %}"
            """,
            "the text does not compile",
            'prompt: "{% for d in decisions %}"',
        ),
        (
            """\
            - id: api.depth
              phase: two
              for_each: "entity"
              kind: text
              prompt: "?"
            """,
            "'entity' is not defined there",
            'for_each: "entity"',
        ),
    ],
    ids=[
        "unknown-name",
        "reads-later-question",
        "reads-per-entity-answer-outside",
        "entity-outside-for-each",
        "reads-itself",
        "decisions-in-when",
        "for-each-over-two-sources",
        "reserved-variable",
        "clashing-variables",
        "unknown-placeholder",
        "text-does-not-compile",
        "entity-in-for-each",
    ],
)
def test_what_an_expression_may_read_is_checked_at_load(
    extra: str, message: str, marker: str
) -> None:
    error = _load_error(extra)
    assert message in error.message
    assert error.line == _line_of(_bank(extra), marker)
    assert str(error.path) == "team.yaml"


def test_an_unknown_name_comes_with_close_matches() -> None:
    error = _load_error(
        """\
        - id: later
          phase: one
          kind: text
          when: "intro_cont > 3"
          prompt: Why?
        """
    )
    assert "intro_count" in error.hint


def test_per_entity_questions_read_their_siblings_for_the_same_record() -> None:
    bank = parse_bank(
        _bank(
            """\
            - id: api.scopes
              phase: two
              for_each: "systems | selectattr('kind', 'equalto', 'api')"
              when: "api_auth == 'oauth' and entity.kind == 'api' and depth != 'quick'"
              kind: text
              prompt: "{{ entity.name }}: which scopes?"
            """
        )
    )
    engine = Engine(bank)
    sheet = AnswerSheet(name="x", template="team")
    sheet = engine.answer(sheet, "intro.count", 1)
    sheet = engine.answer(sheet, "systems", "Stripe, api\nAdyen, api")
    sheet = engine.answer(sheet, "api.auth@stripe", "oauth")
    sheet = engine.answer(sheet, "api.auth@adyen", "key")
    pending = engine.state(sheet).pending
    assert pending == ("api.scopes@stripe",)


def test_placeholders_insert_entity_text_literally() -> None:
    text = compile_text("{name} ({kind}): timeouts?", HERE, fields=frozenset({"name", "kind"}))
    entity = {"name": "{{ 7*7 }} {kind}", "kind": "<b>api</b>"}
    assert text.render({}, entity) == "{{ 7*7 }} {kind} (<b>api</b>): timeouts?"


def test_a_jinja_prompt_renders_user_text_literally() -> None:
    text = compile_text("{{ entity.name }}: timeouts?", HERE, fields=frozenset({"name"}))
    entity = {"name": "{{ 7*7 }}{% raw %}"}
    assert text.render({"entity": entity}, entity) == "{{ 7*7 }}{% raw %}: timeouts?"


def test_braces_outside_per_entity_questions_are_plain_text() -> None:
    text = compile_text("Payload like {id} or {}?", HERE, fields=frozenset())
    assert text.static
    assert text.render({}, {"id": "no"}) == "Payload like {id} or {}?"


def test_a_condition_failing_at_run_time_names_the_question_and_line() -> None:
    bank = parse_bank(
        _bank(
            """\
            - id: many
              phase: two
              kind: text
              when: "intro_count > 3"
              prompt: Why so many?
            """
        ),
        path="team.yaml",
    )
    engine = Engine(bank)
    sheet = engine.skip(AnswerSheet(name="x", template="team"), "intro.count", reason="unknown")
    with pytest.raises(BankError) as caught:
        engine.next_round(sheet)
    error = caught.value
    assert error.line == 28
    assert "question 'many', when: 'intro_count > 3' failed" in error.message
    assert "is not none" in error.hint


def test_a_for_each_that_gives_no_records_is_a_bank_error() -> None:
    bank = parse_bank(
        _bank(
            """\
            - id: api.names
              phase: two
              for_each: "systems | map(attribute='name') | list"
              kind: text
              prompt: "{name}?"
            """
        ),
        path="team.yaml",
    )
    engine = Engine(bank)
    sheet = engine.answer(AnswerSheet(name="x", template="team"), "intro.count", 2)
    sheet = engine.answer(sheet, "systems", [{"name": "Stripe", "kind": "api"}])
    with pytest.raises(BankError, match="gave 'Stripe', which is not a record"):
        engine.next_round(sheet)


def test_conditions_may_read_answers_by_id_and_the_depth() -> None:
    bank = parse_bank(
        _bank(
            """\
            - id: deep.dive
              phase: two
              kind: text
              when: "depth == 'full' and answers['intro.count'] == 2"
              prompt: Tell us more.
            """
        )
    )
    engine = Engine(bank)
    sheet = engine.answer(AnswerSheet(name="x", template="team", depth="full"), "intro.count", 2)
    sheet = engine.answer(sheet, "systems", [])
    assert engine.state(sheet).pending == ("deep.dive",)
    standard = sheet.model_copy(update={"depth": "standard"})
    assert engine.state(standard).pending == ()
