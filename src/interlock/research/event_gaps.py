"""What an AsyncAPI document leaves open: the questions its research note hands the interview.

:func:`find_event_gaps` is the event systems' counterpart of
:func:`~interlock.research.gaps.find_gaps`: each gap names the interview question
(``external.auth@<system>``…) that asks what the document does not say, such as how
to authenticate, delivery guarantees, or a server to test against.
"""

from __future__ import annotations

from interlock.interview.values import entity_key
from interlock.research.constraints import counted
from interlock.research.event_facts import EventOperation, EventServer
from interlock.research.event_security import event_auth_summary
from interlock.research.facts import AuthScheme, Gap, System
from interlock.research.gaps import SANDBOX_ENVIRONMENTS

__all__ = ["find_event_gaps"]


def find_event_gaps(
    system: System,
    servers: tuple[EventServer, ...],
    auth: tuple[AuthScheme, ...],
    operations: tuple[EventOperation, ...],
    unresolved: tuple[str, ...],
) -> tuple[Gap, ...]:
    """Return the questions the document leaves for the interview, in the note's order."""
    key = entity_key(system.name)
    gaps: list[Gap] = []
    if not auth:
        gaps.append(
            Gap(
                "The document declares no security scheme: how do we authenticate to the "
                "system, and with which credentials?",
                f"external.auth@{key}",
            )
        )
    elif len({scheme.type for scheme in auth}) > 1:
        gaps.append(
            Gap(
                f"The document offers {event_auth_summary(auth)}. Which do we use?",
                f"external.auth@{key}",
            )
        )
    gaps.append(
        Gap(
            "Does the system limit how many messages we may send or receive, and what "
            "happens when we go past it?",
            f"external.rate_limits@{key}",
        )
    )
    if not servers:
        gaps.append(
            Gap(
                "The document names no server: which broker or address does each environment use?",
                f"external.client@{key}",
            )
        )
    if not any(server.environment in SANDBOX_ENVIRONMENTS for server in servers):
        gaps.append(
            Gap(
                "The document names no sandbox or test server: what can we test against "
                "before production?",
                f"external.sandbox@{key}",
            )
        )
    gaps.append(
        Gap(
            "Is each message delivered at most once, at least once or exactly once; in "
            "order; and can the same message arrive twice?",
            "edge.duplicates",
        )
    )
    if any(operation.action == "send" for operation in operations):
        gaps.append(
            Gap(
                "How do we verify that a message comes from the system, and how does it "
                "retry one we did not acknowledge?",
                f"external.webhooks@{key}",
            )
        )
    gaps.append(
        Gap(
            "What does the provider promise on availability and delivery delay, and "
            "under which plan or contract?",
            f"external.sla@{key}",
        )
    )
    if unresolved:
        gaps.append(
            Gap(
                f"{counted(len(unresolved), 'reference')} not followed: what they describe "
                "is missing from this note (listed below)."
            )
        )
    return tuple(gaps)
