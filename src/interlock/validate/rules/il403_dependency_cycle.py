"""Specs that depend on each other in a circle.

A cycle through ``dependencies`` (a needs b, b needs c, c needs a) means none of them
can be built, reviewed or released first. Each cycle is printed once, as
``a → b → c → a``, in the document of its alphabetically first id, at the line of that
spec's link into the cycle. When several cycles share specs (one strongly connected
group), one shortest cycle of the group is shown; breaking it reveals the next. A
cycle through more than ten specs shows its ends around a count of the hidden ones.

The ``relations`` option chooses the links that count (``dependencies``, ``parent``,
``related``); add ``parent`` to catch specs that are each other's ancestors. A spec
that names itself is left to the self-link rule.

Fails::

    # specs/orders/spec.md
    id: spec-orders-001
    dependencies: ['spec-payments-002']

    # specs/payments/spec.md
    id: spec-payments-002
    dependencies: ['spec-orders-001']

Passes::

    # specs/orders/spec.md
    id: spec-orders-001
    dependencies: ['spec-payments-002']

    # specs/payments/spec.md
    id: spec-payments-002
    related: ['spec-orders-001']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.model.finding import Severity, WorkspaceProblem
from interlock.validate.rule import OptionProblem
from interlock.validate.rules import _option_checks
from interlock.workspace.graph import dependency_cycles, first_link
from interlock.workspace.index import RELATIONS, Workspace

ID = "IL403"
NAME = "dependency-cycle"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {"relations": ["dependencies"]}
FIX = "remove one link of the cycle, or move the shared part into a spec both depend on"
KINDS = None
SCOPE = "workspace"

_HEAD, _TAIL = 6, 4
"""Ids shown at each end of a long cycle, around a count of the hidden ones."""


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report relations that are not link fields."""
    yield from _option_checks.choice_problems("relations", options["relations"], RELATIONS)


def check(workspace: Workspace, options: Mapping[str, Any]) -> Iterator[WorkspaceProblem]:
    relations = list(options["relations"])
    for cycle in dependency_cycles(workspace, relations):
        link = first_link(workspace, cycle[0], cycle[1], relations)
        yield WorkspaceProblem(link.path, link.line, 1, f"dependency cycle: {_show(cycle)}")


def _show(cycle: list[str]) -> str:
    ids = [*cycle, cycle[0]]
    if len(ids) > _HEAD + _TAIL + 1:
        hidden = len(ids) - _HEAD - _TAIL
        ids = [*ids[:_HEAD], f"… {hidden:,} more …", *ids[-_TAIL:]]
    return " → ".join(ids)
