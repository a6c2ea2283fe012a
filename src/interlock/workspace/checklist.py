"""The integration checklist of one integration: what is open, decided and done.

The checklist is the integration workflow's list of what a finished integration has,
from reviewed documentation to setup and troubleshooting docs. Each item's state
comes from two places:

- the interview answers: an item is *decided* when every fact it needs is answered,
  and *open* while one of them is an open question or the interview did not cover it;
- the ticked boxes of ``plan.md``: an item is *done* when the plan has success
  criteria for it and every one of them is ticked, whatever the answers say.

A success criterion belongs to an item by the label it starts with, in bold in the
Markdown (``- [x] **Authentication**: Stripe accepts our calls``), as ``plan.md.j2``
writes it; :data:`PLAN_LABELS` lists them. A criterion with another label counts for
no item, so a team may add its own.

:func:`build_checklist` is pure: the integration model and the plan's task items in,
the checklist out. Reading them from a workspace is the integration folder's job
(:class:`~interlock.folders.integration.IntegrationFolder`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from interlock.documents.model import TaskItem
from interlock.documents.parser import load_document
from interlock.model.integration import Integration, OpenQuestion, System, SystemKind

__all__ = [
    "CHECKLIST",
    "PLAN_FILE",
    "PLAN_LABELS",
    "Checklist",
    "ChecklistItem",
    "ItemState",
    "build_checklist",
    "criterion_label",
    "plan_tasks",
]

PLAN_FILE = "plan.md"


class ItemState(StrEnum):
    """Where one checklist item stands."""

    OPEN = "open"
    """The interview has not settled what it needs."""
    DECIDED = "decided"
    """The interview settled it; the plan's boxes for it are not all ticked."""
    DONE = "done"
    """Every success criterion of ``plan.md`` for it is ticked."""


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One item of the checklist and why it stands where it does."""

    key: str
    label: str
    state: ItemState
    detail: str
    """What is open, what was decided, or how many boxes are ticked."""
    ticked: int = 0
    criteria: int = 0
    """How many success criteria of ``plan.md`` belong to the item."""


@dataclass(frozen=True, slots=True)
class Checklist:
    """The checklist of integration ``name``."""

    name: str
    items: tuple[ChecklistItem, ...]
    plan: Path | None
    """The ``plan.md`` whose boxes were read, relative to the workspace root; ``None``
    when there is none yet."""
    interviewed: bool
    """Whether the integration has interview answers to judge the items by."""

    def count(self, state: ItemState) -> int:
        """Return how many items are in ``state``."""
        return sum(1 for item in self.items if item.state is state)

    def to_dict(self) -> dict[str, Any]:
        """Return the checklist as plain data: the ``checklist`` of ``status --json``."""
        return {
            "plan": self.plan.as_posix() if self.plan is not None else None,
            "interviewed": self.interviewed,
            "counts": {state.value: self.count(state) for state in ItemState},
            "items": [
                {
                    "key": item.key,
                    "label": item.label,
                    "state": item.state.value,
                    "detail": item.detail,
                    "ticked": item.ticked,
                    "criteria": item.criteria,
                }
                for item in self.items
            ],
        }


_Verdict = tuple[ItemState, str]
_Judge = Callable[[Integration], _Verdict]
_Facts = Sequence[tuple[str, Any]]
"""What a fact is about (``Stripe timeout``) and its value in the model."""


def _judged(required: _Facts, optional: _Facts = (), *, decided: str = "") -> _Verdict:
    """Judge facts: open when one is open, or a required one was not covered.

    An optional fact that is ``None`` does not apply and counts for nothing.
    """
    opened = [what for what, fact in (*required, *optional) if isinstance(fact, OpenQuestion)]
    missing = [what for what, fact in required if fact is None or fact == ()]
    if opened or missing:
        parts = []
        if opened:
            parts.append(f"open question: {', '.join(opened)}")
        if missing:
            parts.append(f"not covered by the interview: {', '.join(missing)}")
        return ItemState.OPEN, "; ".join(parts)
    return ItemState.DECIDED, decided or "decided in the interview"


def _externals(integration: Integration) -> tuple[System, ...]:
    return integration.systems_of(SystemKind.EXTERNAL_API)


def _systems_open(integration: Integration) -> _Verdict | None:
    if isinstance(integration.systems, OpenQuestion):
        return ItemState.OPEN, "open question: the systems taking part"
    return None


def _documentation(integration: Integration) -> _Verdict:
    externals = _externals(integration)
    if not externals:
        return _systems_open(integration) or (ItemState.DECIDED, "no third-party API")
    return _judged([(f"{system.name} documentation", system.client) for system in externals])


def _authentication(integration: Integration) -> _Verdict:
    externals = _externals(integration)
    if not externals:
        return _systems_open(integration) or (ItemState.DECIDED, "no third-party API")
    return _judged([(f"{system.name} authentication", system.auth) for system in externals])


def _operations(integration: Integration) -> _Verdict:
    operations = integration.in_scope
    count = len(operations) if isinstance(operations, tuple) else 0
    return _judged([("primary operations", operations)], decided=f"{count} operations planned")


def _failure_modes(integration: Integration) -> _Verdict:
    facts: list[tuple[str, Any]] = [
        (f"{system.name} failure handling", system.failure_handling)
        for system in integration.known_systems
        # The interview asks nothing about a database's own failures.
        if system.kind is not SystemKind.DATABASE
    ]
    shared = [
        ("partial failures", integration.partial_failure),
        ("duplicates", integration.duplicates),
        ("payload format changes", integration.format_change),
    ]
    return _systems_open(integration) or _judged(facts, shared)


def _retries(integration: Integration) -> _Verdict:
    facts: list[tuple[str, Any]] = []
    retried = []
    for system in _externals(integration):
        if isinstance(system.failure_handling, OpenQuestion):
            facts.append((f"{system.name} failure handling", system.failure_handling))
        elif system.retry is not None:
            retried.append(system.name)
            facts.append((f"{system.name} attempts", system.retry.max_attempts))
            facts.append((f"{system.name} backoff", system.retry.backoff))
    for system in integration.systems_of(SystemKind.QUEUE):
        if system.dead_letter is not None:
            retried.append(system.name)
            facts.append((f"{system.name} dead letters", system.dead_letter))
    decided = f"retried: {', '.join(retried)}" if retried else "no system is retried"
    return _systems_open(integration) or _judged(facts, decided=decided)


def _timeouts(integration: Integration) -> _Verdict:
    externals = _externals(integration)
    if not externals:
        return _systems_open(integration) or (ItemState.DECIDED, "no third-party API")
    return _judged([(f"{system.name} timeout", system.timeout_ms) for system in externals])


def _secrets(integration: Integration) -> _Verdict:
    return _judged(
        [("where secrets are kept", integration.secrets_storage)],
        [("rotation", integration.secrets_rotation)],
    )


def _unit_tests(integration: Integration) -> _Verdict:
    return _judged([("testing without the live systems", integration.test_doubles)])


def _integration_tests(integration: Integration) -> _Verdict:
    sandboxes = [(f"{system.name} sandbox", system.sandbox) for system in _externals(integration)]
    return _judged([("end-to-end testing", integration.staging)], sandboxes)


def _logging(integration: Integration) -> _Verdict:
    return _judged([("logging", integration.logging)])


def _setup_docs(integration: Integration) -> _Verdict:
    return _judged(
        [],
        [
            ("configuration values", integration.configuration),
            ("environments", integration.environments),
            ("feature flag", integration.feature_flag),
        ],
        decided="what to configure is known from the interview",
    )


@dataclass(frozen=True, slots=True)
class _ItemKind:
    key: str
    label: str
    plan_label: str
    judge: _Judge


CHECKLIST: tuple[_ItemKind, ...] = (
    _ItemKind(
        "documentation",
        "Documentation thoroughly reviewed",
        "documentation reviewed",
        _documentation,
    ),
    _ItemKind("authentication", "Authentication working", "authentication", _authentication),
    _ItemKind("operations", "Primary operations implemented", "operation", _operations),
    _ItemKind(
        "failure-modes", "Error handling for all failure modes", "failure handling", _failure_modes
    ),
    _ItemKind("retries", "Retry logic with backoff", "retries", _retries),
    _ItemKind("timeouts", "Timeouts configured appropriately", "timeouts", _timeouts),
    _ItemKind("secrets", "Secrets managed securely", "secrets", _secrets),
    _ItemKind("unit-tests", "Unit tests with mocks", "unit tests", _unit_tests),
    _ItemKind(
        "integration-tests",
        "Integration tests against real API",
        "integration tests",
        _integration_tests,
    ),
    _ItemKind("logging", "Logging for debugging", "logging", _logging),
    _ItemKind("setup-docs", "Documentation for setup and troubleshooting", "runbook", _setup_docs),
)
"""The items, in the workflow's order."""

PLAN_LABELS: dict[str, str] = {kind.plan_label: kind.key for kind in CHECKLIST}
"""The label a success criterion of ``plan.md`` starts with → the item it counts for."""


def build_checklist(
    name: str,
    integration: Integration | None,
    tasks: Sequence[TaskItem] | None,
    plan: Path,
) -> Checklist:
    """Return the checklist of integration ``name``.

    Args:
        name: the integration's name.
        integration: what its interview says; ``None`` before there are answers, and
            then every item is open (unless its plan boxes are ticked).
        tasks: the task items of its ``plan.md``; ``None`` when there is no plan yet.
        plan: where the plan is, as the checklist names it (relative to the workspace).
    """
    items = tuple(_item(kind, integration, tasks or ()) for kind in CHECKLIST)
    return Checklist(name, items, plan if tasks is not None else None, integration is not None)


def plan_tasks(path: Path) -> tuple[TaskItem, ...] | None:
    """Return the task items of the plan at ``path``, or ``None`` when there is none.

    Raises:
        InputError: the file exists but is unreadable, binary or too large.
    """
    if not path.is_file():
        return None
    return load_document(path).tasks


def criterion_label(task: TaskItem) -> str:
    """Return the label a success criterion starts with, folded: ``authentication``."""
    label, colon, _ = task.text.partition(":")
    return " ".join(label.casefold().split()) if colon else ""


def _item(
    kind: _ItemKind, integration: Integration | None, tasks: Iterable[TaskItem]
) -> ChecklistItem:
    own = [task for task in tasks if criterion_label(task) == kind.plan_label]
    ticked = sum(1 for task in own if task.checked)
    if integration is None:
        state, detail = ItemState.OPEN, "no interview answers yet"
    else:
        state, detail = kind.judge(integration)
    if own and ticked == len(own):
        state = ItemState.DONE
        detail = f"all {len(own)} success criteria ticked in {PLAN_FILE}"
    elif own:
        detail = f"{detail}; {ticked} of {len(own)} ticked in {PLAN_FILE}"
    return ChecklistItem(kind.key, kind.label, state, detail, ticked, len(own))
