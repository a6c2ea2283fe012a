"""The Markdown report, for a pull-request comment or a file.

It opens with the verdict and a summary table, then the score distribution, the
breakdown by rule family, a prioritized "Fix first" to-do list, and one section per
file with a table of its findings. Every piece of user text (paths, messages, fixes,
rule names) goes through :func:`escape`, so a hostile message can break neither a
table nor the page: no raw HTML, no heading, no link, no code span of its own.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from interlock.model.finding import Family, Finding, Severity
from interlock.report.escapes import show_unsafe
from interlock.report.rule_facts import fix_for, rule_facts
from interlock.report.summary import (
    SEVERITIES,
    failure_reasons,
    format_score,
    plural,
    tool_version,
)
from interlock.validate.result import FileResult, RunResult

TITLE = "Interlock validation report"
BANDS = ((90.0, "90–100"), (70.0, "70–89"), (50.0, "50–69"), (0.0, "0–49"))
"""Score bands of the distribution: each band's lower bound and label. The second
starts at the passing score, so the lower two bands hold the documents with errors."""
BAR_WIDTH = 20
FAMILY_PRIORITY = (
    Family.SECURITY,
    Family.METADATA,
    Family.TRACEABILITY,
    Family.STRUCTURE,
    Family.CONTENT,
)
"""Which family to fix first among findings of the same severity."""
EFFORTS = ("small", "medium", "large")
DEFAULT_EFFORT = "medium"
EFFORT_BY_RULE: Mapping[str, str] = {
    "front-matter-invalid": "small",
    "required-field": "small",
    "field-format": "small",
    "placeholder": "small",
    "template-guidance": "small",
    "unchecked-item": "small",
    "table-shape": "small",
    "duplicate-id": "small",
    "dangling-link": "small",
    "self-link": "small",
    "front-matter-missing": "medium",
    "approval": "medium",
    "empty-section": "medium",
    "content-length": "medium",
    "open-question": "medium",
    "auth-declared": "medium",
    "rate-limit-declared": "medium",
    "unreadable": "medium",
    "required-section": "medium",
    "secret": "medium",
    "failure-handling": "large",
    "endpoint-contract": "large",
    "dependency-cycle": "large",
}
"""How much work fixing one occurrence of a rule's finding usually takes, by rule name.

A rule missing here gets :data:`DEFAULT_EFFORT`.
"""

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADING_START = re.compile(r"^( {0,3})#", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ToDo:
    """One item of the "Fix first" list: every finding of one rule at one severity."""

    code: str
    rule: str
    severity: Severity
    family: Family
    effort: str
    count: int
    fix: str

    def priority(self) -> tuple[int, int, int, int, str]:
        """Sort key: severity, then family, then effort (small first), then frequency."""
        return (
            -self.severity.rank,
            FAMILY_PRIORITY.index(self.family),
            EFFORTS.index(self.effort),
            -self.count,
            self.code,
        )


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the Markdown report (``color`` is ignored)."""
    sections = [
        _heading(result),
        _summary(result),
        _distribution(result.files),
        _families(result),
        _fix_first(result.findings),
        ["## Files"] if result.files else [],
        *(_file_section(file) for file in result.files),
    ]
    return "\n\n".join("\n".join(section) for section in sections if section) + "\n"


def escape(text: str) -> str:
    """Return ``text`` as literal Markdown that fits in one table cell or list item."""
    text = show_unsafe(text, keep="\t\r\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = _HEADING_START.sub(r"\1\\#", _LINE_BREAK.sub("\n", text))
    return text.replace("\n", "<br>")


def effort(rule: str) -> str:
    """Return the usual effort of fixing one finding of ``rule``: small, medium or large."""
    return EFFORT_BY_RULE.get(rule, DEFAULT_EFFORT)


def to_do(findings: Iterable[Finding]) -> list[ToDo]:
    """Group findings by rule and severity into to-do items, most urgent first.

    A group keeps only its count and its first finding (in report order), which
    describes it: the findings are walked once and never held together.
    """
    counts: dict[tuple[str, Severity], int] = {}
    firsts: dict[tuple[str, Severity], Finding] = {}
    for finding in findings:
        group = (finding.code, finding.severity)
        counts[group] = counts.get(group, 0) + 1
        if group not in firsts or finding < firsts[group]:
            firsts[group] = finding
    items = []
    for (code, severity), first in firsts.items():
        facts = rule_facts(first)
        items.append(
            ToDo(
                code=code,
                rule=facts.name,
                severity=severity,
                family=first.family,
                effort=effort(facts.name),
                count=counts[code, severity],
                fix=facts.fix or fix_for(first),
            )
        )
    return sorted(items, key=ToDo.priority)


def band(score: float) -> str:
    """Return the label of the band ``score`` falls in."""
    for floor, label in BANDS:
        if score >= floor:
            return label
    return BANDS[-1][1]


def _heading(result: RunResult) -> list[str]:
    reasons = failure_reasons(result)
    if reasons:
        verdict = f"**Failed:** {'; '.join(reasons)}."
    elif any(result.counts.values()):
        verdict = f"**Passed:** no findings at or above {result.fail_on.value} severity."
    else:
        verdict = "**Passed:** no problems found."
    settings = f"fail on {result.fail_on.value}"
    if result.min_score is not None:
        settings += f", minimum score {format_score(result.min_score)}"
    return [
        f"# {TITLE}",
        "",
        verdict,
        "",
        f"Preset {escape(result.preset)} ({settings}); Interlock {escape(tool_version(result))}.",
    ]


def _summary(result: RunResult) -> list[str]:
    counts = result.counts
    cells = [str(len(result.files)), *(str(counts.get(severity, 0)) for severity in SEVERITIES)]
    return [
        "| Files | Errors | Warnings | Infos | Score |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {' | '.join(cells)} | {format_score(result.score.total)}/100 |",
    ]


def _distribution(files: Collection[FileResult]) -> list[str]:
    per_band = dict.fromkeys((label for _, label in BANDS), 0)
    for file in files:
        per_band[band(file.score.total)] += 1
    lines = ["## Score distribution", "", "| Score | Documents | |", "| --- | ---: | --- |"]
    for label, count in per_band.items():
        width = round(BAR_WIDTH * count / len(files)) if files else 0
        lines.append(f"| {label} | {count} | {'█' * width} |")
    return lines


def _families(result: RunResult) -> list[str]:
    lines = [
        "## By family",
        "",
        "| Family | Score | Errors | Warnings | Infos |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    counts_by_family = _count_by_family(result.findings)
    for family in Family:
        counts = counts_by_family[family]
        score = result.score.families.get(family)
        shown = "–" if score is None else f"{format_score(score)}/20"
        numbers = " | ".join(str(counts[severity]) for severity in SEVERITIES)
        lines.append(f"| {family.value} | {shown} | {numbers} |")
    return lines


def _count_by_family(findings: Iterable[Finding]) -> dict[Family, dict[Severity, int]]:
    """Return how many findings each family has of each severity, in one walk over them."""
    counts = {family: dict.fromkeys(SEVERITIES, 0) for family in Family}
    for finding in findings:
        by_severity = counts[finding.family]
        if finding.severity in by_severity:
            by_severity[finding.severity] += 1
    return counts


def _fix_first(findings: Iterable[Finding]) -> list[str]:
    items = to_do(findings)
    if not items:
        return ["## Fix first", "", "Nothing to fix."]
    lines = ["## Fix first", ""]
    for number, item in enumerate(items, start=1):
        head = (
            f"{number}. [ ] **{escape(item.rule)}** ({escape(item.code)}): "
            f"{plural(item.count, 'occurrence')}, {item.severity.value}, "
            f"{item.family.value}, {item.effort} effort"
        )
        if item.fix:
            # A trailing backslash is a hard line break: the fix gets a line of its own.
            lines.extend([head + "\\", f"   Fix: {escape(item.fix)}"])
        else:
            lines.append(head)
    return lines


def _file_section(file: FileResult) -> list[str]:
    lines = [
        f"### {escape(file.path)}",
        "",
        f"Kind {escape(file.kind)}, score {format_score(file.score.total)}/100.",
        "",
    ]
    if not file.findings:
        return [*lines, "No findings."]
    lines.extend(["| Line | Severity | Rule | Message | Fix |", "| ---: | --- | --- | --- | --- |"])
    for finding in file.findings:
        cells = [
            f"{finding.line}:{finding.column}",
            finding.severity.value,
            f"{escape(finding.rule)} ({escape(finding.code)})",
            escape(finding.message),
            escape(fix_for(finding)),
        ]
        lines.append(f"| {' | '.join(cells)} |")
    return lines


__all__ = [
    "BANDS",
    "DEFAULT_EFFORT",
    "EFFORT_BY_RULE",
    "FAMILY_PRIORITY",
    "TITLE",
    "ToDo",
    "band",
    "effort",
    "escape",
    "render",
    "to_do",
]
