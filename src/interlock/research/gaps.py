"""What an OpenAPI description leaves open, phrased as the questions the interview asks.

Some gaps depend on the document (no sandbox server, several ways to authenticate,
writes without an idempotency key, throttling without numbers); others are never in
an OpenAPI document at all (the provider's availability promise, timeouts, cost, how
breaking changes are announced) and are listed every time. Each gap names the bank
question that settles it, so the note says where in the interview it comes back.
"""

from __future__ import annotations

from collections.abc import Sequence

from interlock.interview.values import entity_key
from interlock.research.constraints import counted, listed
from interlock.research.facts import (
    AuthScheme,
    Constraint,
    Gap,
    Operation,
    Server,
    System,
    Webhook,
)
from interlock.research.openapi import OpenApiDocument, family_label
from interlock.research.security import auth_kind, describe_scheme, schemes_in_use

__all__ = ["SANDBOX_ENVIRONMENTS", "find_gaps"]

SANDBOX_ENVIRONMENTS = frozenset({"sandbox", "staging", "test"})
"""Server environments that count as a place to test against the provider."""


def find_gaps(
    document: OpenApiDocument,
    *,
    system: System,
    servers: Sequence[Server],
    auth: Sequence[AuthScheme],
    operations: Sequence[Operation],
    webhooks: Sequence[Webhook],
    constraints: Sequence[Constraint],
) -> tuple[Gap, ...]:
    """Return the questions the document leaves for the interview, in its order."""
    key = entity_key(system.name)

    def about(question: str) -> str:
        return f"{question}@{key}"

    gaps = [
        *_auth_gaps(auth, about("external.auth")),
        Gap(
            "What does the provider promise on availability and response times, and "
            "under which plan or contract?",
            about("external.sla"),
        ),
        *_rate_limit_gaps(constraints, about("external.rate_limits")),
        *_server_gaps(servers, about("external.sandbox"), about("external.client")),
        Gap(
            "After how long do we stop waiting for an answer, and what do we do when a "
            "call times out or fails?",
            about("external.timeout"),
        ),
        *_error_gaps(operations, about("external.failure")),
        *_idempotency_gaps(operations, constraints),
        *_callback_gaps(document, operations, webhooks, about("external.webhooks")),
        Gap(
            "How are breaking changes announced, and how long is an old version "
            "supported? Which client library or SDK do we use?",
            about("external.client"),
        ),
        Gap("What does it cost, per call or per month?", about("external.cost")),
    ]
    if document.unresolved:
        gaps.append(
            Gap(
                f"{counted(len(document.unresolved), 'reference')} not followed: what they "
                "describe is missing from this note (listed below)."
            )
        )
    return tuple(gaps)


def _auth_gaps(auth: Sequence[AuthScheme], question: str) -> list[Gap]:
    if not auth:
        return [
            Gap(
                "The document declares no authentication: how do we authenticate, and "
                "with which credentials?",
                question,
            )
        ]
    gaps = []
    used = schemes_in_use(auth)
    if len({auth_kind(scheme) for scheme in used} - {None}) > 1:
        offered = "; ".join(f"{scheme.key}: {describe_scheme(scheme)}" for scheme in used)
        gaps.append(Gap(f"The document offers {offered}. Which do we use?", question))
    has_oauth = any(scheme.type in ("oauth2", "openIdConnect") for scheme in used)
    for scheme in used:
        if scheme.type == "http" and scheme.http_scheme.lower() == "bearer" and not has_oauth:
            gaps.append(
                Gap(
                    f"How is the bearer token of {scheme.key} obtained, and when does it expire?",
                    question,
                )
            )
        scopes = {name for flow in scheme.flows for name, _ in flow.scopes}
        if len(scopes) > 1:
            gaps.append(
                # No question asks this; and external.auth may already be answered.
                Gap(
                    f"Which of the {len(scopes)} scopes of {scheme.key} do we need? "
                    "Ask for the fewest."
                )
            )
    return gaps


def _rate_limit_gaps(constraints: Sequence[Constraint], question: str) -> list[Gap]:
    stated = any(c.topic == "rate-limits" for c in constraints)
    if stated:
        text = (
            "The document shows how throttling is signalled, but an OpenAPI document "
            "rarely states the limits themselves: which limits or quotas apply, and what "
            "do we do when we reach one?"
        )
    else:
        text = (
            "The document says nothing about rate limits: which limits or quotas apply, "
            "and what do we do when we reach one?"
        )
    return [Gap(text, question)]


def _server_gaps(servers: Sequence[Server], sandbox: str, client: str) -> list[Gap]:
    gaps = []
    if not servers:
        gaps.append(
            Gap("The document names no server: which base URL does each environment use?", client)
        )
    elif len(_places(servers)) > 1 and not any(s.environment == "production" for s in servers):
        gaps.append(Gap("The document does not say which of its servers is production.", client))
    if not any(server.environment in SANDBOX_ENVIRONMENTS for server in servers):
        gaps.append(
            Gap(
                "The document names no sandbox or test server: what can we test against "
                "before production?",
                sandbox,
            )
        )
    return gaps


def _error_gaps(operations: Sequence[Operation], question: str) -> list[Gap]:
    silent = [
        op.label
        for op in operations
        if not any(r.status[:1] in ("4", "5") or r.status == "default" for r in op.responses)
    ]
    if not silent:
        return []
    return [
        Gap(
            f"No error response is documented for {counted(len(silent), 'operation')} "
            f"({listed(silent, 5)}): what do their failures look like?",
            question,
        )
    ]


def _idempotency_gaps(
    operations: Sequence[Operation], constraints: Sequence[Constraint]
) -> list[Gap]:
    writes = [op for op in operations if op.method in ("POST", "PUT", "PATCH", "DELETE")]
    if not writes:
        return []
    keyed = any(c.topic == "idempotency" for c in constraints)
    if keyed:
        return []
    return [
        Gap(
            "The document declares no idempotency key for its writes: can a failed "
            f"{writes[0].label} be retried without taking effect twice?",
            "edge.duplicates",
        )
    ]


def _callback_gaps(
    document: OpenApiDocument,
    operations: Sequence[Operation],
    webhooks: Sequence[Webhook],
    question: str,
) -> list[Gap]:
    calls_back = bool(webhooks) or any(op.callbacks for op in operations)
    if calls_back:
        return [
            Gap(
                "How do we verify that its webhook and callback requests come from the "
                "provider, and how does it retry a delivery we did not acknowledge?",
                question,
            )
        ]
    if document.family in ("2.0", "3.0"):
        why = f"{family_label(document.family)} cannot describe webhooks"
        return [Gap(f"{why}: does the provider call us back, and how do we verify it?", question)]
    return [Gap("The document declares no webhooks: does the provider call us back?", question)]


def _places(servers: Sequence[Server]) -> set[str]:
    """Return the servers' addresses without their scheme: http and https are one place."""
    return {server.url.partition("://")[2] or server.url for server in servers}
