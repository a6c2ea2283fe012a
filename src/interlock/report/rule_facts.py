"""What the reports say about a rule, even one the registry does not know.

Reports describe rules (summary, documentation, fix, default severity) from the
registry. A finding may come from a rule that is not registered (a plugin, a rule
still being written, a hand-built result), so every fact falls back to what the
finding itself carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from interlock.model.finding import Family, Finding, Severity
from interlock.validate.registry import find_rule


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """A rule as the reports describe it."""

    code: str
    name: str
    summary: str
    documentation: str
    fix: str
    family: Family
    severity: Severity
    """The rule's default severity (the finding's own when the rule is unknown)."""


def rule_facts(finding: Finding) -> RuleFacts:
    """Return the facts about the rule that reported ``finding``."""
    rule = find_rule(finding.code)
    if rule is None:
        return RuleFacts(
            code=finding.code,
            name=finding.rule,
            summary=finding.rule,
            documentation=finding.rule,
            fix=finding.fix,
            family=finding.family,
            severity=finding.severity,
        )
    return RuleFacts(
        code=rule.code,
        name=rule.name,
        summary=rule.summary or rule.name,
        documentation=rule.documentation or rule.name,
        fix=rule.fix or finding.fix,
        family=rule.family,
        severity=rule.severity,
    )


def rules_reported(findings: Iterable[Finding]) -> tuple[RuleFacts, ...]:
    """Return the facts about every rule with a finding, sorted by code.

    ``findings`` come in report order (as a run's ``findings`` walks them): the first
    finding of a rule not in the registry speaks for it. They are walked once and not
    held, so a run streamed from disk stays streamed.
    """
    first: dict[str, Finding] = {}
    for finding in findings:
        if finding.code not in first:
            first[finding.code] = finding
    return tuple(rule_facts(first[code]) for code in sorted(first))


def fix_for(finding: Finding) -> str:
    """Return how to fix ``finding``: its own hint, else its rule's general fix."""
    if finding.fix:
        return finding.fix
    rule = find_rule(finding.code)
    return rule.fix if rule is not None else ""


__all__ = ["RuleFacts", "fix_for", "rule_facts", "rules_reported"]
