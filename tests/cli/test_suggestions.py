"""What research proposes, offered in the terminal: filtered, ticked, or typed instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from interlock.cli.prompts import Asker, Reply
from interlock.interview.schema import Option, Question
from interlock.interview.views import QuestionView, Suggestion

SOURCE = "research/stripe.md"
OFFERED = (
    Suggestion("GET /v1/charges — List all charges", SOURCE, ("charges",)),
    Suggestion("POST /v1/charges — Create a charge", SOURCE, ("charges",)),
    Suggestion("POST /v1/refunds — Create a refund", SOURCE, ("refunds",)),
    Suggestion("GET /v1/customers/{id} — Retrieve a customer", SOURCE, ("customers",)),
)
DOWN, SPACE, ENTER = "\x1b[B", " ", "\r"


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


def view(suggestions: tuple[Suggestion, ...] = OFFERED) -> QuestionView:
    question = Question(
        id="external.endpoints", phase="external", prompt="Which endpoints?", kind="list"
    )
    return QuestionView(
        "external.endpoints@stripe", question, "external", "Stripe: which endpoints?", "",
        "Stripe", suggestions,
    )  # fmt: skip


def ask(keys: PipeInput, *typed: str) -> tuple[Reply, list[str]]:
    said: list[str] = []
    for text in typed:
        keys.send_text(text)
    reply = Asker(input=keys, output=DummyOutput()).ask(view(), said.append)
    return reply, said


def test_a_filter_then_a_tick_answers_with_the_operations_chosen(keys: PipeInput) -> None:
    reply, said = ask(keys, "charges" + ENTER, DOWN + SPACE + ENTER)
    assert reply == Reply(["POST /v1/charges — Create a charge"])
    assert said[0] == f"  Research proposes 4 (from {SOURCE}); tick those that apply."


def test_a_path_prefix_keeps_only_the_operations_below_it(keys: PipeInput) -> None:
    reply, _ = ask(keys, "/v1/refunds" + ENTER, SPACE + ENTER)
    assert reply == Reply(["POST /v1/refunds — Create a refund"])


def test_a_filter_that_keeps_nothing_is_asked_again(keys: PipeInput) -> None:
    reply, said = ask(keys, "payouts" + ENTER, "customer" + ENTER, SPACE + ENTER)
    assert "  None matches; try another filter." in said
    assert reply == Reply(["GET /v1/customers/{id} — Retrieve a customer"])


def test_the_person_may_type_their_own_or_say_they_do_not_know(keys: PipeInput) -> None:
    reply, _ = ask(keys, "=" + ENTER, "GET /v2/balance" + ENTER, "POST /v1/payouts" + ENTER, ENTER)
    assert reply == Reply(["GET /v2/balance", "POST /v1/payouts"])


def test_dont_know_skips(keys: PipeInput) -> None:
    reply, _ = ask(keys, "-" + ENTER, "waiting for the vendor" + ENTER, "Priya" + ENTER)
    assert reply == Reply(skipped=True, reason="waiting for the vendor", owner="Priya")


_WORD = st.text(alphabet="abcdefgh/{}", min_size=1, max_size=8)


@given(st.lists(_WORD, min_size=1, max_size=4).map(lambda parts: "/" + "/".join(parts)))
def test_a_path_prefix_matches_exactly_the_paths_that_start_with_it(prefix: str) -> None:
    for suggestion in OFFERED:
        path = suggestion.value.split(" ")[1]
        assert suggestion.matches(prefix) == path.lower().startswith(prefix.lower())


@given(st.text(alphabet=" \t", max_size=3))
def test_an_empty_filter_keeps_everything(blank: str) -> None:
    assert all(suggestion.matches(blank) for suggestion in OFFERED)


def test_the_proposed_option_is_the_one_enter_picks(keys: PipeInput) -> None:
    """The first option is another: only the proposal being preselected picks oauth2."""
    question = Question(
        id="external.auth",
        phase="external",
        prompt="How do we authenticate?",
        kind="choice",
        options=(Option(value="api-key"), Option(value="oauth2"), Option(value="basic")),
    )
    proposed = QuestionView(
        "external.auth@stripe", question, "external", "Stripe: how?", "", "Stripe",
        (Suggestion("oauth2", SOURCE),),
    )  # fmt: skip
    keys.send_text(ENTER)
    reply = Asker(input=keys, output=DummyOutput()).ask(proposed, print)
    assert reply == Reply("oauth2")
