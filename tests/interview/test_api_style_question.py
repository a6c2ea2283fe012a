"""The style of an external API: asked of each one before its endpoints, kept as a label."""

from __future__ import annotations

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.model.integration import OpenQuestion
from support.answered import bank as bank
from support.answered import integration_of

SLACK = {"name": "Slack", "kind": "external-api"}
USERS = {"name": "User Service", "kind": "internal-service"}


def test_each_external_api_is_asked_its_style_just_before_its_endpoints(bank: Bank) -> None:
    engine = Engine(bank)
    sheet = engine.apply_answers(AnswerSheet(name="alerts"), {"systems": [SLACK, USERS]})
    asked = [asked.id for asked in engine.state(sheet).walk.asked]
    assert asked.index("external.style@slack") + 1 == asked.index("external.endpoints@slack")
    assert not [
        question_id
        for question_id in asked
        if question_id.endswith("@user-service") and question_id.startswith("external.")
    ]


def test_the_style_chosen_is_the_system_s_api_style_label(bank: Bank) -> None:
    engine = Engine(bank)
    answers = {"systems": [SLACK], "external.style@slack": "rpc"}
    sheet = engine.apply_answers(AnswerSheet(name="alerts"), answers)
    (slack,) = integration_of(sheet, bank).known_systems
    assert slack.api_style == "RPC over HTTP (operations named like chat.postMessage)"


def test_a_skipped_style_is_an_open_question(bank: Bank) -> None:
    engine = Engine(bank)
    sheet = engine.apply_answers(AnswerSheet(name="alerts"), {"systems": [SLACK]})
    sheet = engine.skip(sheet, "external.style@slack", reason="two APIs, two styles")
    (slack,) = integration_of(sheet, bank).known_systems
    assert isinstance(slack.api_style, OpenQuestion)
