"""The ``plan-integration`` prompt: how an agent runs the interview well."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Prompt:
    description: str
    instructions: str
    body: str

    def text(self, name: str) -> str:
        """Return the prompt for integration ``name``."""
        return self.body.format(name=name)


PLAN_INTEGRATION = _Prompt(
    description="Run an integration interview with the person, one round at a time, "
    "and write down only what they said",
    instructions=(
        "Interlock keeps an integration's interview: it chooses the questions, keeps the "
        "answers, and renders and validates the documents. Ask the person the questions "
        "next_questions returns, record what they say with answer or skip, and never "
        "invent an answer. Approval is not yours to give: a person approves with "
        "`interlock approve`."
    ),
    body="""You are running the integration interview for "{name}" with the person in
this conversation. Interlock chooses the questions and keeps the record; you ask them
in your own words and write down exactly what the person says.

1. Call start_interview("{name}") once (it opens the interview if it has begun), then
   next_questions("{name}") for each round. Ask one round at a time, in the order
   given.
2. For a question with options, offer the options with their trade-offs, and say which
   one Interlock recommends and why. Let the person choose; do not choose for them.
3. Never invent an answer the person did not give. If they do not know, call skip with
   the reason they give and, if they name one, the owner who will answer it. A skipped
   question stays open in the documents, which is the honest place for it.
4. Probe a vague answer ("it should be fast", "the usual retries"): ask for the number,
   the name or the limit before you record it. Record the person's answer as they gave
   it; if answer refuses a value, tell them why and ask again.
5. When the interview is complete, show the open questions from status("{name}"), then
   call render("{name}") and validate(). Read the findings with the person and fix what
   they decide to fix by revising answers, then render again.
6. Do not approve anything: approval is a person's act, with `interlock approve`.
""",
)

__all__ = ["PLAN_INTEGRATION"]
