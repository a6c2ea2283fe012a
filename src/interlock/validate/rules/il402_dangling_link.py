"""A traceability link to an id that no spec in the workspace defines.

``parent``, ``dependencies`` and ``related`` name other specs by their ``id``. A link
whose target is defined by no document of the run is reported at the link's line,
naming the relation and the id: the target was renamed, deleted, or mistyped.

Unfilled template values are left to the placeholder rules: a target containing
``{{`` or starting with ``[`` is not checked. Ids that live outside the workspace
(tickets, another repository's specs) can be accepted with the ``ignore`` option, a
list of regular expressions searched in the id, e.g. ``'^JIRA-\\d+$'``.

Fails::

    ---
    id: spec-integration-stripe-001
    parent: spec-checkout-platfrom-001      # no spec has this id (typo)
    ---

Passes::

    ---
    id: spec-integration-stripe-001
    parent: spec-checkout-platform-001      # defined in specs/checkout/spec.md
    related: ['JIRA-1432']                  # with ignore: ['^JIRA-\\d+$']
    ---
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from interlock.model.finding import Severity, WorkspaceProblem
from interlock.validate import user_patterns
from interlock.validate.rule import OptionProblem
from interlock.validate.rules import _option_checks
from interlock.workspace.index import Workspace

ID = "IL402"
NAME = "dangling-link"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {"ignore": []}
FIX = "point the link at an existing spec id, or remove it"
KINDS = None
SCOPE = "workspace"


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report ``ignore`` patterns that do not compile."""
    yield from _option_checks.pattern_problems("ignore", options["ignore"])


def check(workspace: Workspace, options: Mapping[str, Any]) -> Iterator[WorkspaceProblem]:
    ignore = _compile(tuple(options["ignore"]))
    for entry in workspace.entries:
        for link in entry.links:
            target = link.target
            if "{{" in target or target.startswith("["):
                continue
            if workspace.with_id(target) or any(pattern.search(target) for pattern in ignore):
                continue
            yield WorkspaceProblem(
                entry.path,
                link.line,
                1,
                f"{link.relation} names {target!r}, which no spec in the workspace defines",
            )


@lru_cache(maxsize=16)
def _compile(patterns: tuple[str, ...]) -> tuple[user_patterns.Pattern, ...]:
    return user_patterns.compile_patterns(patterns)
