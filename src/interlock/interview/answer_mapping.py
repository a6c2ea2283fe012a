"""Build the :class:`~interlock.model.integration.Integration` an interview describes.

The mapping reads only the engine's public view of a sheet,
:class:`~interlock.interview.resolved.ResolvedQuestions`, by question id: choices
become their labels, lists their items, endpoint lines :class:`Endpoint` values. A
question that applies but is skipped or not answered yet becomes its
:class:`OpenQuestion`; a question that does not apply leaves its fact ``None``, and
the documents leave that line out. A team's own bank may drop questions: their facts
are then ``None`` too.

Which question fills which fact is data: :data:`INTEGRATION_FACTS`,
:data:`SYSTEM_FACTS` and :data:`RETRY_FACTS` map each field of the model to a
question id of the built-in ``integration`` bank and how its answer is read, and
:func:`question_ids` lists every id read. A test holds them to the bank, so renaming a
question fails a test instead of silently dropping a fact from the documents.

It lives with the interview, not in the model: the model knows nothing of banks, and
this is where the built-in bank's question ids meet it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from interlock.interview.resolved import ResolvedQuestions
from interlock.interview.store import check_integration_name
from interlock.interview.values import entity_key
from interlock.model.integration import (
    Criticality,
    Endpoint,
    Integration,
    OpenQuestion,
    RetryPolicy,
    System,
    SystemKind,
    integration_title,
)
from interlock.model.spec_meta import Priority

__all__ = [
    "INTEGRATION_FACTS",
    "PRIORITY",
    "REPLACES",
    "RETRY_FACTS",
    "RETRY_WHEN",
    "SYSTEMS",
    "SYSTEM_FACTS",
    "Read",
    "Reading",
    "build_integration",
    "parse_endpoint",
    "question_ids",
]


class Read(StrEnum):
    """How an answer becomes a fact of the model."""

    TEXT = "text"
    """Text, stripped; ``None`` when empty."""
    LABEL = "label"
    """The label of the option chosen."""
    LABELS = "labels"
    """The labels of the options chosen."""
    ITEMS = "items"
    """The items of a list, stripped, empty ones left out."""
    NUMBER = "number"
    BOOLEAN = "boolean"
    ENDPOINTS = "endpoints"
    """The items of a list, each read by :func:`parse_endpoint`."""


Reading = tuple[str, Read]
"""A question id and how its answer is read."""

_SYNC_FACTS: Mapping[str, Reading] = MappingProxyType(
    {
        "sync_direction": ("sync.direction", Read.LABEL),
        "initial_load": ("sync.initial_load", Read.LABEL),
        "paging": ("sync.paging", Read.LABEL),
        "ordering": ("sync.ordering", Read.LABEL),
        "conflicts": ("sync.conflicts", Read.LABEL),
        "echo": ("sync.echo", Read.LABEL),
        "reconciliation": ("sync.reconciliation", Read.LABEL),
    }
)
"""Field of :class:`System` → the per-system question on keeping records in step.

Asked of third-party APIs and internal services alike, so both kinds read them.
"""

INTEGRATION_FACTS: Mapping[str, Reading] = MappingProxyType(
    {
        "summary": ("problem.summary", Read.TEXT),
        "problem": ("problem.why", Read.TEXT),
        "existing": ("problem.existing", Read.LABEL),
        "goals": ("problem.goals", Read.ITEMS),
        "consumers": ("consumers.systems", Read.ITEMS),
        "approvers": ("consumers.approvers", Read.ITEMS),
        "agreements": ("consumers.agreements", Read.TEXT),
        "in_scope": ("scope.operations", Read.ITEMS),
        "out_of_scope": ("scope.excluded", Read.ITEMS),
        "pattern": ("scope.pattern", Read.LABEL),
        "direction": ("scope.direction", Read.LABEL),
        "mapping": ("scope.mapping", Read.TEXT),
        "contract": ("design.contract", Read.LABEL),
        "published": ("design.endpoints", Read.ENDPOINTS),
        "caller_auth": ("design.caller_auth", Read.LABEL),
        "versioning": ("design.versioning", Read.LABEL),
        "migration_path": ("compat.migration_path", Read.LABEL),
        "deprecation": ("compat.deprecation", Read.TEXT),
        "schema_change": ("data.schema_change", Read.LABEL),
        "migration": ("data.migration", Read.LABEL),
        "backfill": ("data.backfill", Read.TEXT),
        "rehearsal": ("data.rehearsal", Read.TEXT),
        "latency_ms": ("constraints.latency", Read.NUMBER),
        "throughput": ("constraints.throughput", Read.NUMBER),
        "availability": ("constraints.availability", Read.LABEL),
        "compliance": ("constraints.compliance", Read.LABELS),
        "data_class": ("constraints.data_class", Read.LABEL),
        "network": ("constraints.network", Read.TEXT),
        "secrets_storage": ("secrets.storage", Read.LABEL),
        "secrets_rotation": ("secrets.rotation", Read.TEXT),
        "partial_failure": ("edge.partial_failure", Read.LABEL),
        "duplicates": ("edge.duplicates", Read.LABEL),
        "format_change": ("edge.format_change", Read.LABEL),
        "test_doubles": ("testing.doubles", Read.LABELS),
        "staging": ("testing.staging", Read.TEXT),
        "load_testing": ("testing.load", Read.LABEL),
        "environments": ("testing.environments", Read.TEXT),
        "dashboards": ("metrics.watch", Read.LABELS),
        "alerts": ("metrics.alerts", Read.TEXT),
        "sla_tracking": ("metrics.sla", Read.LABEL),
        "health_check": ("metrics.health", Read.BOOLEAN),
        "logging": ("metrics.logging", Read.TEXT),
        "pii_in_logs": ("metrics.pii", Read.LABEL),
        "tracing": ("metrics.tracing", Read.LABEL),
        "rollout": ("rollout.strategy", Read.LABEL),
        "rollback": ("rollout.rollback", Read.LABEL),
        "parallel_run": ("rollout.parallel", Read.LABEL),
        "phases": ("rollout.phases", Read.ITEMS),
        "feature_flag": ("rollout.flag", Read.TEXT),
        "configuration": ("rollout.config", Read.ITEMS),
        "infrastructure": ("rollout.infrastructure", Read.ITEMS),
        "notes": ("closing.missed", Read.TEXT),
    }
)
"""Field of :class:`Integration` → the question asked once that fills it."""

SYSTEM_FACTS: Mapping[SystemKind, Mapping[str, Reading]] = MappingProxyType(
    {
        SystemKind.EXTERNAL_API: MappingProxyType(
            {
                "purpose": ("external.purpose", Read.TEXT),
                "sla": ("external.sla", Read.TEXT),
                "cost": ("external.cost", Read.TEXT),
                "client": ("external.client", Read.TEXT),
                "auth": ("external.auth", Read.LABEL),
                "api_style": ("external.style", Read.LABEL),
                "endpoints": ("external.endpoints", Read.ENDPOINTS),
                "callbacks": ("external.callbacks", Read.BOOLEAN),
                "webhooks": ("external.webhooks", Read.TEXT),
                "webhook_verification": ("external.webhook_verification", Read.LABEL),
                "webhook_replay": ("external.webhook_replay", Read.LABEL),
                "oauth_scopes": ("external.oauth_scopes", Read.ITEMS),
                "token_renewal": ("external.oauth_tokens", Read.LABEL),
                "revocation": ("external.oauth_revocation", Read.LABEL),
                "rate_limits": ("external.rate_limits", Read.TEXT),
                "quotas": ("external.quotas", Read.LABEL),
                "timeout_ms": ("external.timeout", Read.NUMBER),
                "failure_handling": ("external.failure", Read.LABELS),
                "circuit_breaker": ("external.breaker", Read.TEXT),
                "fallback": ("external.fallback", Read.LABEL),
                "sandbox": ("external.sandbox", Read.LABEL),
                "sandbox_parity": ("external.sandbox_parity", Read.TEXT),
                "residency": ("external.residency", Read.LABEL),
                "exit_plan": ("external.exit", Read.LABEL),
                **_SYNC_FACTS,
            }
        ),
        SystemKind.INTERNAL_SERVICE: MappingProxyType(
            {
                "protocol": ("service.communication", Read.LABEL),
                "endpoints": ("service.calls", Read.ENDPOINTS),
                "failure_handling": ("service.failure", Read.LABELS),
                **_SYNC_FACTS,
            }
        ),
        SystemKind.DATABASE: MappingProxyType(
            {
                "tables": ("database.tables", Read.ITEMS),
                "failure_handling": ("database.failure", Read.LABELS),
            }
        ),
        SystemKind.QUEUE: MappingProxyType(
            {
                "topics": ("queue.topics", Read.ITEMS),
                "delivery": ("queue.delivery", Read.LABEL),
                "failure_handling": ("queue.retry", Read.LABELS),
                "dead_letter": ("queue.dead_letter", Read.LABEL),
            }
        ),
        SystemKind.FILE_TRANSFER: MappingProxyType(
            {
                "transfer": ("transfer.details", Read.TEXT),
                "failure_handling": ("transfer.failure", Read.LABELS),
            }
        ),
    }
)
"""Kind of system → field of :class:`System` → the per-system question that fills it."""

RETRY_FACTS: Mapping[str, Reading] = MappingProxyType(
    {
        "max_attempts": ("external.retry_attempts", Read.NUMBER),
        "backoff": ("external.retry_backoff", Read.LABEL),
    }
)
"""Field of :class:`RetryPolicy` → the per-system question that fills it."""
RETRY_WHEN = ("external.failure", "retry")
"""A third-party API has a retry policy when this question's answer holds this option."""
SYSTEMS = "systems"
"""The entities question that names the systems; its records' kinds are SystemKind values."""
PRIORITY = "problem.priority"
"""The choice question whose values are :class:`Priority` values."""
REPLACES = ("problem.existing", ("replace", "extend"))
"""The integration replaces what exists when this question's answer is one of these."""

_METHOD = re.compile(r"([A-Za-z]{3,10})\s+(\S+)\s*(.*)", re.DOTALL)
_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_PURPOSE = re.compile(r"^\s*(?:[-–—:]+)\s*")
_PURPOSE_SPLIT = re.compile(r"\s+[-–—]+\s+|:\s+")


def question_ids() -> frozenset[str]:
    """Return every question id the mapping reads."""
    readings = [
        *INTEGRATION_FACTS.values(),
        *(reading for facts in SYSTEM_FACTS.values() for reading in facts.values()),
        *RETRY_FACTS.values(),
    ]
    return frozenset(
        {question_id for question_id, _ in readings}
        | {RETRY_WHEN[0], SYSTEMS, PRIORITY, REPLACES[0]}
    )


def build_integration(name: str, resolved: ResolvedQuestions) -> Integration:
    """Return the integration ``name`` that the resolved questions of its interview describe.

    Raises:
        StoreError: ``name`` cannot name an integration (it is not a slug).
    """
    check_integration_name(name)
    priority = resolved.fact(PRIORITY)
    facts = {field: _read(resolved, reading) for field, reading in INTEGRATION_FACTS.items()}
    return Integration(
        name=name,
        title=integration_title(name),
        priority=(
            priority
            if isinstance(priority, OpenQuestion)
            else Priority(priority)
            if priority in set(Priority)
            else None
        ),
        replaces_existing=_value(resolved, REPLACES[0]) in REPLACES[1],
        systems=_systems(resolved),
        decisions=resolved.decisions,
        open_questions=(*resolved.open_questions, *resolved.contradiction_questions),
        **facts,
    )


def parse_endpoint(line: str) -> Endpoint:
    """Read ``POST /v1/orders - create an order`` or ``event order.paid - …``."""
    text = " ".join(line.split())
    method = ""
    found = _METHOD.fullmatch(text)
    if found is not None and (
        found[1].upper() in _HTTP_METHODS or found[1].casefold() in ("event", "message")
    ):
        method = "EVENT" if found[1].casefold() in ("event", "message") else found[1].upper()
        path, purpose = found[2], _PURPOSE.sub("", found[3], count=1)
    else:
        parts = _PURPOSE_SPLIT.split(text, maxsplit=1)
        path, purpose = parts[0], parts[1] if len(parts) > 1 else ""
    return Endpoint(method=method, path=path or text, purpose=purpose)


def _value(resolved: ResolvedQuestions, question_id: str) -> Any:
    """Return the answer's value, or ``None`` when it is open or does not apply."""
    found = resolved.fact(question_id)
    return None if isinstance(found, OpenQuestion) else found


def _read(resolved: ResolvedQuestions, reading: Reading, key: str | None = None) -> Any:
    """Return the fact ``reading`` gives: a value, an open question, or ``None``."""
    question_id, how = reading
    answer_id = question_id if key is None else f"{question_id}@{key}"
    found = resolved.fact(answer_id)
    if found is None or isinstance(found, OpenQuestion):
        return found
    if how is Read.NUMBER:
        return found if isinstance(found, int | float) else None
    if how is Read.BOOLEAN:
        return found if isinstance(found, bool) else None
    if how is Read.TEXT:
        return str(found).strip() or None
    question = resolved.get(answer_id)
    assert question is not None  # it has a value, so it applies
    if how is Read.LABEL:
        return question.label(found)
    values = [found] if isinstance(found, str) else list(found)
    if how is Read.LABELS:
        return tuple(question.label(value) for value in values)
    items = tuple(text for text in (str(value).strip() for value in values) if text)
    if how is Read.ENDPOINTS:
        return tuple(parse_endpoint(line) for line in items)
    return items


def _systems(resolved: ResolvedQuestions) -> tuple[System, ...] | OpenQuestion:
    found = resolved.fact(SYSTEMS)
    if isinstance(found, OpenQuestion):
        return found
    systems = []
    for index, record in enumerate(found or (), start=1):
        if record.get("kind") not in set(SystemKind):
            continue
        kind = SystemKind(record["kind"])
        criticality = record.get("criticality")
        key = entity_key(record["name"])
        facts = {
            field: _read(resolved, reading, key) for field, reading in SYSTEM_FACTS[kind].items()
        }
        if kind is SystemKind.EXTERNAL_API:
            facts["retry"] = _retry(resolved, key)
        systems.append(
            System(
                name=" ".join(str(record["name"]).split()) or f"System {index}",
                slug=key,
                kind=kind,
                owner=str(record.get("owner") or "").strip(),
                criticality=Criticality(criticality) if criticality in set(Criticality) else None,
                **facts,
            )
        )
    return tuple(systems)


def _retry(resolved: ResolvedQuestions, key: str) -> RetryPolicy | None:
    question_id, option = RETRY_WHEN
    failure = resolved.fact(f"{question_id}@{key}")
    if not (isinstance(failure, list) and option in failure):
        return None
    return RetryPolicy(
        **{field: _read(resolved, reading, key) for field, reading in RETRY_FACTS.items()}
    )
