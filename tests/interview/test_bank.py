"""Loading question banks: the built-in one, a team's own, and malformed ones."""

import re
from collections.abc import Set
from pathlib import Path

import pytest

from interlock.errors import BankError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import bank_names, load_bank, load_bank_file, parse_bank
from interlock.interview.engine import Engine
from interlock.interview.schema import Bank, Phase, Question
from interlock.safe_yaml import load_yaml
from support.follow_ups import BREAKER_FOLLOW_UP, EXTERNAL_API_FOLLOW_UPS

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = Path(__file__).parents[2] / "docs" / "question-banks.md"

SEED_PHASES = [
    "Problem & Context",
    "Consuming Systems & Stakeholders",
    "Scope & Solution",
    "Technical Design",
    "Constraints",
    "Edge Cases",
    "Testing",
    "Metrics",
    "Implementation",
]

MINIMAL = """\
name: {name}
title: A team bank
phases:
  - {{id: one, title: One}}
questions:
  - id: intro.summary
    phase: one
    kind: text
    prompt: {prompt}
"""


def _bank_error(text: str) -> BankError:
    with pytest.raises(BankError) as caught:
        parse_bank(text, path="team.yaml")
    return caught.value


def _with_question(extra: str) -> str:
    """Return a small valid bank with one more question appended (YAML lines)."""
    return MINIMAL.format(name="team", prompt="What is it?") + extra


def test_built_in_bank_has_the_nine_phases_then_a_closing_round() -> None:
    bank = load_bank("integration")
    numbered = [phase for phase in bank.phases if not phase.closing]
    assert [phase.title for phase in numbered] == SEED_PHASES
    assert bank.phases[-1].closing
    depths = {phase.title: phase.depth for phase in numbered}
    assert depths["Technical Design"] == "full"
    assert depths["Edge Cases"] == "full"
    assert [title for title, depth in depths.items() if depth == "full"] == [
        "Technical Design",
        "Edge Cases",
    ]


def test_built_in_bank_declares_the_seven_completion_signals() -> None:
    bank = load_bank("integration")
    assert [signal.id for signal in bank.signals] == [
        "external-services",
        "external-failures",
        "data-migrations",
        "breaking-changes",
        "deployment",
        "rollback",
        "integration-testing",
    ]


def test_built_in_bank_covers_the_six_topic_areas_and_what_a_senior_engineer_asks() -> None:
    bank = load_bank("integration")
    assert {topic.id for topic in bank.topics} == {
        "external-dependencies",
        "internal-integrations",
        "data-migration",
        "backward-compatibility",
        "deployment",
        "environments",
        # asked at standard depth when the answers make them relevant (test_bank_coverage)
        "webhooks",
        "two-way-sync",
        "backfill",
        "reconciliation",
        "oauth",
        "own-database-failure",
        "sandbox-parity",
        "quotas",
        "vendor-exit",
        "data-residency",
        "pii-in-logs",
        "tracing",
    }
    for topic in bank.topics:
        covering = [
            q.id
            for q in bank.questions
            if topic.id in q.topics and (q.depth != "full" or bank.phase(q.phase).depth == "full")
        ]
        assert covering, f"no standard question covers {topic.id}"


@pytest.mark.parametrize(
    ("for_each_kind", "expected"),
    [
        (
            "external-api",
            EXTERNAL_API_FOLLOW_UPS
            | {BREAKER_FOLLOW_UP}
            | {"external.callbacks", "external.webhooks", "external.sandbox_parity"}
            | {"external.residency", "external.exit", "sync.direction", "sync.initial_load"},
        ),
        (
            "internal-service",
            {
                "service.calls",
                "service.communication",
                "service.failure",
                "sync.direction",
                "sync.initial_load",
            },
        ),
        ("database", {"database.tables"}),
        ("queue", {"queue.topics", "queue.delivery", "queue.retry", "queue.dead_letter"}),
    ],
    ids=["external-api", "internal-service", "database", "queue"],
)
def test_each_kind_of_system_gets_its_own_standard_follow_ups(
    for_each_kind: str, expected: Set[str]
) -> None:
    bank = load_bank("integration")
    asked = {
        q.id
        for q in bank.questions
        if q.for_each and f"'{for_each_kind}'" in q.for_each and q.depth != "full"
    }
    assert asked == expected


def test_deep_questions_of_the_built_in_bank_state_trade_offs_and_reasons() -> None:
    bank = load_bank("integration")
    deep = [q for q in bank.questions if q.deep]
    assert len(deep) >= 20
    for question in deep:
        assert 2 <= len(question.options) <= 5, question.id
        assert all(option.tradeoff for option in question.options), question.id
        for option in question.options:
            if option.recommended:
                assert option.reason, question.id


def test_a_team_bank_in_the_given_folder_overrides_the_built_in_one(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    banks.mkdir(parents=True)
    (banks / "integration.yaml").write_text(
        MINIMAL.format(name="integration", prompt="Our own question?"), encoding="utf-8"
    )
    bank = load_bank("integration", banks)
    assert [q.prompt for q in bank.questions] == ["Our own question?"]
    assert bank.source == str(banks / "integration.yaml")


def test_a_team_can_add_a_bank_of_its_own_name(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    banks.mkdir(parents=True)
    (banks / "payments.yaml").write_text(
        MINIMAL.format(name="payments", prompt="Which card schemes?"), encoding="utf-8"
    )
    assert load_bank("payments", banks).name == "payments"
    assert bank_names(banks) == ["integration", "payments"]


def test_a_missing_folder_of_banks_falls_back_to_the_built_in_one(tmp_path: Path) -> None:
    assert load_bank("integration", tmp_path / "banks").title == "Integration interview"


def test_an_unknown_bank_name_lists_the_known_ones() -> None:
    with pytest.raises(BankError) as caught:
        load_bank("payroll")
    assert "no question bank named 'payroll'" in str(caught.value)
    assert "integration" in caught.value.hint


@pytest.mark.parametrize("name", ["../integration", "Integration", "a/b", ""])
def test_a_bank_name_that_could_escape_the_folder_is_refused(name: str) -> None:
    with pytest.raises(BankError, match="not a bank name"):
        load_bank(name)


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("bad-yaml.yaml", 5, "invalid YAML"),
        ("unknown-kind.yaml", 12, "question 'intro.essay', kind: Input should be 'text'"),
        ("choice-without-options.yaml", 6, "question 'intro.pattern': a choice needs"),
        ("duplicate-ids.yaml", 10, "question id 'intro.summary' is used twice"),
        ("bad-when.yaml", 13, "question 'intro.reason', when: 'intro_enabled == (' does not"),
        ("for-each-not-entities.yaml", 13, "reads 'intro.names' (a list question)"),
        ("unknown-phase.yaml", 12, "question 'intro.later': unknown phase 'three'"),
    ],
    ids=lambda value: str(value),
)
def test_a_malformed_bank_is_reported_with_file_line_and_problem(
    fixture: str, line: int, message: str
) -> None:
    path = FIXTURES / fixture
    with pytest.raises(BankError) as caught:
        load_bank_file(path)
    error = caught.value
    assert error.path == path
    assert error.line == line
    assert message in error.message
    assert str(error).startswith(f"{path}:{line}")


def test_a_malformed_team_bank_is_reported_when_loaded_by_name(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    banks.mkdir(parents=True)
    target = banks / "integration.yaml"
    broken = (FIXTURES / "unknown-phase.yaml").read_text(encoding="utf-8")
    target.write_text(broken.replace("name: unknown-phase", "name: integration"), "utf-8")
    with pytest.raises(BankError) as caught:
        load_bank("integration", banks)
    assert caught.value.path == target
    assert caught.value.line == 12


def test_a_misspelt_key_is_named_with_a_suggestion() -> None:
    error = _bank_error(
        _with_question("    whne: intro_summary\n"),
    )
    assert "unknown key 'whne'; did you mean 'when'?" in error.message
    assert error.line == 10


def test_several_schema_problems_are_counted_in_the_hint() -> None:
    error = _bank_error(_with_question("    kind2: x\n    depth: deep\n"))
    assert (
        error.message
        == "question 'intro.summary', kind2: unknown key 'kind2'; did you mean 'kind'?"
    )
    assert error.line == 10
    assert error.hint == "1 more problem in this file"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "  - id: pick\n    phase: one\n    kind: choice\n    prompt: Which?\n"
            "    options:\n      - {value: a, tradeoff: cheap}\n      - {value: b}\n",
            "option 'b' has no trade-off",
        ),
        (
            "  - id: pick\n    phase: one\n    kind: choice\n    prompt: Which?\n"
            "    options:\n      - {value: a, recommended: true, reason: x}\n"
            "      - {value: b, recommended: true, reason: y}\n",
            "more than one option is recommended",
        ),
        (
            "  - id: pick\n    phase: one\n    kind: choice\n    prompt: Which?\n"
            "    options:\n      - {value: a, recommended: true}\n      - {value: b}\n",
            "the recommended option 'a' gives no reason",
        ),
        (
            "  - id: pick\n    phase: one\n    kind: multi\n    prompt: Which?\n"
            "    options: [a, b, c, d, e, f]\n"
            "    help: fine without trade-offs\n",
            None,
        ),
        (
            "  - id: pick\n    phase: one\n    kind: choice\n    prompt: Which?\n"
            "    options: [a, A]\n",
            "option 'A' is listed twice",
        ),
        (
            "  - id: note\n    phase: one\n    kind: text\n    prompt: Note?\n    options: [a, b]\n",
            "only choice and multi questions have options",
        ),
        (
            "  - id: things\n    phase: one\n    kind: entities\n    prompt: Which?\n"
            "    fields: [{name: kind}]\n",
            "the first field of an entities question is 'name'",
        ),
        (
            "  - id: things\n    phase: one\n    kind: entities\n    prompt: Which?\n"
            "    fields: [{name: name, required: true}, {name: items}]\n",
            "'items' cannot name a field",
        ),
        (
            "  - id: size\n    phase: one\n    kind: number\n    prompt: How many?\n"
            "    minimum: 5\n    maximum: 1\n",
            "minimum is above maximum",
        ),
        (
            "  - id: note\n    phase: one\n    kind: text\n    prompt: Note?\n    unit: ms\n",
            "unit, minimum and maximum belong to number questions",
        ),
        (
            "  - id: note\n    phase: one\n    kind: text\n    prompt: Note?\n    topics: [nope]\n",
            "unknown topic 'nope'",
        ),
    ],
    ids=[
        "missing-tradeoff",
        "two-recommended",
        "recommendation-without-reason",
        "plain-multi-of-six-is-fine",
        "duplicate-option",
        "options-on-text",
        "entities-without-name",
        "field-named-like-a-dict-method",
        "minimum-above-maximum",
        "unit-on-text",
        "unknown-topic",
    ],
)
def test_option_field_and_number_rules(extra: str, message: str | None) -> None:
    text = _with_question(extra)
    if message is None:
        assert parse_bank(text).question("pick") is not None
        return
    error = _bank_error(text)
    assert message in error.message
    assert error.line is not None and error.line >= 10


def test_a_deep_question_offers_two_to_five_options() -> None:
    options = "".join(f"      - {{value: o{n}, tradeoff: t{n}}}\n" for n in range(6))
    error = _bank_error(
        _with_question(
            f"  - id: pick\n    phase: one\n    kind: choice\n    prompt: Which?\n"
            f"    options:\n{options}"
        )
    )
    assert "offers 2 to 5 options, not 6" in error.message


def test_a_signal_must_name_known_questions() -> None:
    error = _bank_error(
        _with_question("signals:\n  - {id: done, label: Done?, settled_by: [intro.sumary]}\n")
    )
    assert "signal 'done': unknown question 'intro.sumary'" in error.message
    assert "intro.summary" in error.hint
    assert error.line == 11


def test_the_closing_phase_must_come_last() -> None:
    text = (
        "name: team\ntitle: T\nphases:\n  - {id: end, title: End, closing: true}\n"
        "  - {id: one, title: One}\nquestions:\n"
        "  - {id: a, phase: one, kind: text, prompt: A?}\n"
    )
    error = _bank_error(text)
    assert "comes after the closing round" in error.message
    assert error.line == 5


def test_a_bank_whose_name_differs_from_its_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "payments.yaml"
    path.write_text(MINIMAL.format(name="billing", prompt="X?"), encoding="utf-8")
    with pytest.raises(BankError, match="calls itself 'billing' but is loaded as 'payments'"):
        load_bank_file(path)


def test_a_bank_without_a_name_takes_its_file_name(tmp_path: Path) -> None:
    path = tmp_path / "payments.yaml"
    path.write_text(
        MINIMAL.format(name="x", prompt="X?").replace("name: x\n", ""), encoding="utf-8"
    )
    assert load_bank_file(path).name == "payments"


def test_a_bank_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_bytes(b"name: team\ntitle: \xff\xfe\n")
    with pytest.raises(BankError, match="not UTF-8"):
        load_bank_file(path)


def test_a_bank_with_yaml_aliases_is_refused_with_its_line() -> None:
    text = _with_question("  - id: again\n    phase: one\n    kind: text\n    prompt: *p\n")
    text = text.replace("prompt: What is it?", "prompt: &p What is it?")
    error = _bank_error(text)
    assert "aliases" in error.message
    assert error.line == 13


def test_a_bank_built_in_code_is_checked_before_it_is_used() -> None:
    question = Question(id="a", phase="one", kind="text", prompt="A?")
    bank = Bank(
        name="coded",
        title="Coded",
        phases=(Phase(id="one", title="One"),),
        questions=(question,) * 2,
    )
    with pytest.raises(BankError, match="question id 'a' is used twice"):
        Engine(bank)


def test_the_examples_in_the_bank_documentation_work() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    bank = parse_bank(blocks[0], name="payments")
    engine = Engine(bank)
    first = engine.next_round(AnswerSheet(name="p", template="payments")).questions[0]
    assert first.id == "context.summary"
    answers = load_yaml(blocks[-1]).value
    built_in = Engine(load_bank("integration"))
    sheet = built_in.apply_answers(AnswerSheet(name="p"), answers)
    opened = built_in.resolve(sheet).open_questions
    assert [o.id for o in opened if o.skipped] == ["constraints.availability"]
