"""The integration an interview describes, as typed data the documents are rendered from.

An :class:`Integration` is what the answers say, organised the way the documents need
it: the problem and who cares about it, the systems taking part (each with its
contract and its failure handling), the constraints, how it is tested, watched and
rolled out, the decisions taken with the alternatives they ruled out, and the
questions still open. It knows nothing of banks, answer files or Markdown.

Every fact the interview may not have settled has three states, and documents treat
them differently:

- a value: what the answers say;
- an :class:`OpenQuestion`: the question was skipped or not answered yet; the same
  object is listed in :attr:`Integration.open_questions`, and documents point there;
- ``None``: the question does not apply (to this kind of system, at this depth, or
  after an earlier answer), and documents leave the line out.

:class:`OpenQuestion` and :class:`Decision` are the only types of their idea in
Interlock: the interview engine makes them, the documents list them and ``interlock
status`` counts them, so every front end reports the same open questions.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from interlock.model.spec_meta import Priority

__all__ = [
    "NOT_ANSWERED",
    "NOT_COVERED",
    "Alternative",
    "Criticality",
    "Decision",
    "Endpoint",
    "Fact",
    "Facts",
    "Integration",
    "OpenQuestion",
    "RetryPolicy",
    "System",
    "SystemKind",
    "integration_title",
]

NOT_ANSWERED = "not answered yet"
"""The reason of an open question nobody has answered or skipped yet."""
NOT_COVERED = "not covered by the interview"
"""What a document says where a fact it needs was not asked (below full depth, or not
relevant after an earlier answer): an open point the open-question rule reports."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def integration_title(name: str) -> str:
    """Return the name people read for the integration slug ``name``: ``Order Service``."""
    return " ".join(word.capitalize() for word in name.split("-"))


class OpenQuestion(_Frozen):
    """A question that applies and is not settled: skipped ("don't know") or not answered yet."""

    id: str = Field(min_length=1)
    """The question's id in the bank, ``<question>@<key>`` for a per-entity one."""
    question: str = Field(min_length=1)
    owner: str = ""
    """Who will find out; empty when nobody has been named."""
    reason: str = ""
    """Why it is open: the reason given when it was skipped (empty when none was
    given), or :data:`NOT_ANSWERED`."""
    skipped: bool = False
    """Whether someone skipped it; otherwise it is simply not answered yet."""
    phase: str = ""
    """The title of the interview phase that asks it."""
    subject: str = ""
    """The system it is about, for a per-system question."""


Fact: TypeAlias = str | OpenQuestion | None
"""Text the answers give, an open question, or ``None`` when it does not apply."""
Facts: TypeAlias = tuple[str, ...] | OpenQuestion | None
"""Items the answers list, an open question, or ``None`` when it does not apply."""


class SystemKind(StrEnum):
    """What kind of system the integration talks to."""

    EXTERNAL_API = "external-api"
    INTERNAL_SERVICE = "internal-service"
    DATABASE = "database"
    QUEUE = "queue"
    FILE_TRANSFER = "file-transfer"

    @property
    def label(self) -> str:
        """How documents name the kind."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    SystemKind.EXTERNAL_API: "Third-party API",
    SystemKind.INTERNAL_SERVICE: "Internal service",
    SystemKind.DATABASE: "Database",
    SystemKind.QUEUE: "Message queue",
    SystemKind.FILE_TRANSFER: "File transfer",
}


class Criticality(StrEnum):
    """How badly the integration suffers when a system is unavailable."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Endpoint(_Frozen):
    """One operation of a contract: an HTTP route, or an event or message."""

    method: str = ""
    """``GET``, ``POST``…, ``EVENT`` for an event; empty when the answer named none."""
    path: str = Field(min_length=1)
    """``/v1/charges``, or the event's name."""
    purpose: str = ""

    @property
    def is_event(self) -> bool:
        """Whether this is an event or message rather than a call."""
        return self.method == "EVENT"


class RetryPolicy(_Frozen):
    """How failed calls to a system are tried again."""

    max_attempts: int | OpenQuestion | None = None
    """Attempts in all, the first call included."""
    backoff: Fact = None
    """How the wait between attempts grows."""


class Alternative(_Frozen):
    """One option of a decision, with what choosing it costs and buys."""

    label: str = Field(min_length=1)
    tradeoff: str = ""
    recommended: bool = False
    reason: str = ""
    """Why the bank recommends it, when it does."""


class Decision(_Frozen):
    """A choice the interview settled, and the options it ruled out."""

    id: str = Field(min_length=1)
    """The question's id in the bank, ``<question>@<key>`` for a per-entity one."""
    question: str = Field(min_length=1)
    phase: str = ""
    subject: str = ""
    """The system the decision is about, for a per-system question."""
    chosen: tuple[Alternative, ...] = Field(min_length=1)
    """The options taken (several for a multiple choice)."""
    rejected: tuple[Alternative, ...] = ()
    note: str = ""
    """A note given with the answer."""

    @property
    def follows_recommendation(self) -> bool | None:
        """Whether the recommended option was taken; ``None`` when none is recommended."""
        if not any(option.recommended for option in (*self.chosen, *self.rejected)):
            return None
        return any(option.recommended for option in self.chosen)


class System(_Frozen):
    """One system the integration talks to, and how."""

    name: str = Field(min_length=1)
    slug: str = Field(min_length=1)
    """The key of its per-system answers, e.g. ``user-service``."""
    kind: SystemKind
    owner: str = ""
    criticality: Criticality | None = None
    purpose: Fact = None
    sla: Fact = None
    cost: Fact = None

    # The contract
    protocol: Fact = None
    """How we talk to it, e.g. ``HTTP/REST``."""
    client: Fact = None
    """API version, client library and documentation."""
    auth: Fact = None
    api_style: Fact = None
    """The style of its API (REST, RPC, GraphQL, gRPC, SOAP), for a third-party API:
    an RPC style names operations (``chat.postMessage``) instead of paths."""
    endpoints: tuple[Endpoint, ...] | OpenQuestion | None = None
    webhooks: Fact = None
    """The events it sends us, and the endpoint of ours that receives them."""
    callbacks: bool | OpenQuestion | None = None
    """Whether it calls us (webhooks, callbacks, notifications), for a third-party API."""
    webhook_verification: Fact = None
    """How a call to our webhook endpoint is proven to come from it."""
    webhook_replay: Fact = None
    """How replayed, late or repeated webhooks are refused, clock skew included."""
    oauth_scopes: Facts = None
    """The OAuth scopes we request, each with what needs it."""
    token_renewal: Fact = None
    """How expiring OAuth access tokens are renewed."""
    revocation: Fact = None
    """What we do when our access is revoked or our app is uninstalled."""
    rate_limits: Fact = None
    quotas: Fact = None
    """What we do about quotas beyond the rate limits (totals, plan allowances, sizes)."""
    tables: Facts = None
    """Tables or collections touched, for a database."""
    topics: Facts = None
    """Queues or topics used, for a queue."""
    delivery: Fact = None
    """The delivery guarantee relied on, for a queue."""
    transfer: Fact = None
    """Protocol, schedule, format and naming, for a file transfer."""

    # Failure handling
    timeout_ms: int | OpenQuestion | None = None
    failure_handling: Facts = None
    """What we do when it fails: the options chosen."""
    retry: RetryPolicy | None = None
    """Present when failures are retried."""
    circuit_breaker: Fact = None
    fallback: Fact = None
    dead_letter: Fact = None
    sandbox: Fact = None
    sandbox_parity: Fact = None
    """Where its test environment differs from production, and how the gap is covered."""

    # Keeping records in step
    sync_direction: Fact = None
    """Whether records flow between it and us, and which way."""
    initial_load: Fact = None
    """What happens to the records that exist before go-live (the backfill)."""
    paging: Fact = None
    """How its lists are read, for the backfill and for catching up."""
    ordering: Fact = None
    """What keeps an older change from overwriting a newer one."""
    conflicts: Fact = None
    """Which change wins when a record changes on both sides, for a two-way sync."""
    echo: Fact = None
    """How our own writes coming back are kept from looping, for a two-way sync."""
    reconciliation: Fact = None
    """How records that drifted apart are found and repaired."""

    # Dependence on a provider
    residency: Fact = None
    """Where it stores and processes the data we send it."""
    exit_plan: Fact = None
    """What leaving it would take: the lock-in accepted or the way out prepared."""

    @property
    def external(self) -> bool:
        """Whether another company runs it."""
        return self.kind is SystemKind.EXTERNAL_API


class Integration(_Frozen):
    """Everything the documents say about one integration."""

    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    """The slug: the folder under ``specs/`` and part of the spec id."""
    title: str = Field(min_length=1)
    """The name people read, e.g. ``Order Service``."""
    priority: Priority | OpenQuestion | None = None
    """How urgent the work is; ``None`` when the interview did not ask (below full depth)."""

    # Problem & context
    summary: Fact = None
    problem: Fact = None
    """Why it is needed and what the business gains."""
    existing: Fact = None
    """Whether it replaces or extends something that does the job today."""
    replaces_existing: bool = False
    goals: Facts = None

    # Consuming systems & stakeholders
    consumers: Facts = None
    approvers: Facts = None
    agreements: Fact = None

    # Scope & solution
    in_scope: Facts = None
    out_of_scope: Facts = None
    pattern: Fact = None
    direction: Fact = None
    mapping: Fact = None

    # Technical design
    systems: tuple[System, ...] | OpenQuestion = ()
    contract: Fact = None
    """Whether it publishes or changes a contract of its own."""
    published: tuple[Endpoint, ...] | OpenQuestion | None = None
    """The endpoints and events it publishes or changes."""
    caller_auth: Fact = None
    versioning: Fact = None
    migration_path: Fact = None
    deprecation: Fact = None
    schema_change: Fact = None
    migration: Fact = None
    backfill: Fact = None
    rehearsal: Fact = None

    # Constraints
    latency_ms: float | OpenQuestion | None = None
    throughput: float | OpenQuestion | None = None
    """Peak requests or messages per second."""
    availability: Fact = None
    compliance: Facts = None
    data_class: Fact = None
    network: Fact = None
    secrets_storage: Fact = None
    secrets_rotation: Fact = None

    # Edge cases
    partial_failure: Fact = None
    duplicates: Fact = None
    format_change: Fact = None

    # Testing
    test_doubles: Facts = None
    staging: Fact = None
    load_testing: Fact = None
    environments: Fact = None

    # Metrics
    dashboards: Facts = None
    alerts: Fact = None
    sla_tracking: Fact = None
    health_check: bool | OpenQuestion | None = None
    logging: Fact = None
    pii_in_logs: Fact = None
    """How personal data is kept out of logs and traces."""
    tracing: Fact = None
    """How one request or message is followed across the systems."""

    # Implementation
    rollout: Fact = None
    rollback: Fact = None
    parallel_run: Fact = None
    phases: Facts = None
    feature_flag: Fact = None
    configuration: Facts = None
    infrastructure: Facts = None
    notes: Fact = None
    """Anything the closing round added."""

    decisions: tuple[Decision, ...] = ()
    open_questions: tuple[OpenQuestion, ...] = ()

    def systems_of(self, *kinds: SystemKind | str) -> tuple[System, ...]:
        """Return the systems of the given kinds, in the order they were named."""
        if isinstance(self.systems, OpenQuestion):
            return ()
        wanted = {SystemKind(kind) for kind in kinds}
        return tuple(system for system in self.systems if system.kind in wanted)

    @property
    def most_critical(self) -> Criticality | None:
        """The highest criticality rated among the systems, if any was rated."""
        rated = [system.criticality for system in self.known_systems if system.criticality]
        order = list(Criticality)
        return min(rated, key=order.index) if rated else None

    @property
    def known_systems(self) -> tuple[System, ...]:
        """Every system named, or none while the list is an open question."""
        return () if isinstance(self.systems, OpenQuestion) else self.systems
