"""Checks of rendered documents that several tests share.

- :func:`new_statements`: the lines one rendering adds to another that are not about an
  open question (a skip must add nothing else);
- :func:`structure_problems`: lines Markdown would read otherwise than the template
  meant (text merged into a list item or a table);
- :func:`flow_problems`: places where the documents disagree with the system-context
  view about a flow's direction, its mode, or whether a system calls us.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.model.integration import Integration
from interlock.render.documents import render_documents
from interlock.render.system_context import Flow, calls_us, context_mermaid, system_context

# A line that is about an open question: its entry in an Open Questions list or table,
# the pointer printed where the fact would go, or the summary's count of them.
_ABOUT_OPEN = re.compile(
    r"open question|\(owner: |^\*\*Context\*\*: |^\| [^|]*\| open \||not answered yet",
    re.IGNORECASE,
)
# The decision log numbers its entries; one fewer decision renumbers those after it.
# A skip is an answer given now: the dates of the last change move with it.
_RENUMBERED = re.compile(r"^#+ \d+\. |^updatedAt: |^\*\*(Last Updated|Date)\*\*: ")


def render(sheet: AnswerSheet, bank: Bank) -> dict[str, str]:
    return {name: str(text) for name, text in render_documents(sheet, bank, author="Dana").items()}


def new_statements(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Return the lines ``after`` adds to ``before`` that are not about an open question.

    A new heading counts as about an open question when the first line under it is.
    """
    added = []
    for name, text in after.items():
        had = set(before[name].splitlines())  # a line only moved is no new statement
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if line in had or not line.strip() or _about_open(line):
                continue
            if line.startswith("#") and _about_open(_next_text(lines, number)):
                continue
            added.append(f"{name}: {line}")
    return added


def _about_open(line: str) -> bool:
    return bool(_ABOUT_OPEN.search(line) or _RENUMBERED.match(line))


def _next_text(lines: list[str], number: int) -> str:
    return next((line for line in lines[number + 1 :] if line.strip()), "")


def skippable(sheet: AnswerSheet) -> list[str]:
    """Return the ids whose skip must state nothing new.

    A probe's detail (``<id>#detail``) is left out: skipping it leaves the vague answer
    it probed, which is an answer the person gave.
    """
    return [
        question_id
        for question_id, answer in sheet.answers.items()
        if question_id != "systems" and "#" not in question_id and not answer.skipped
    ]


_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def structure_problems(name: str, text: str) -> list[str]:
    """Return lines of ``text`` that Markdown would read otherwise than the template meant.

    A line of text right under a list item, without a blank line between and not
    indented, continues that item (a "lazy continuation"); a line right under a table
    row becomes a row of the table.
    """
    problems = []
    previous = ""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            previous = ""
            continue
        plain = line.strip() and not _LIST_ITEM.match(line) and not line.startswith(" ")
        if plain and _LIST_ITEM.match(previous) and not line.startswith(("#", "|", "<!--")):
            problems.append(f"{name}:{number}: text merges into the list item above: {line!r}")
        if plain and previous.startswith("|") and not line.startswith("|"):
            problems.append(f"{name}:{number}: text merges into the table above: {line!r}")
        previous = line
    return problems


_MERMAID = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def section(text: str, title: str) -> str:
    """Return the lines under the heading ``### title``, up to the next heading."""
    found = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^#)", text, re.MULTILINE | re.DOTALL)
    assert found is not None, f"no section {title!r}"
    return found.group(1)


def _listed(flow: Flow) -> str:
    return f"- **{flow.system}**: {flow.what} ({flow.direction_words}"


def webhook_rows(spec: str, integration: Integration) -> set[str]:
    flows = section(spec, "Data Flows")
    return {
        system.name
        for system in integration.known_systems
        if f"| {system.name} | {integration.title} | webhooks |" in flows
    }


def check_flows(documents: dict[str, str], integration: Integration) -> None:
    context = system_context(integration)
    points, spec = documents["integration-points.md"], documents["integration-spec.md"]
    if integration.known_systems:
        expected = context_mermaid(context)
        for name in ("integration-points.md", "integration-spec.md"):
            drawn = _MERMAID.findall(documents[name])
            assert drawn == [expected], f"{name} draws another diagram than the answers say"
    synchronous = section(points, "Synchronous Integration")
    asynchronous = section(points, "Asynchronous Integration")
    for flow in context.flows:
        line = _listed(flow)
        if flow.mode == "sync":
            assert line in synchronous and line not in asynchronous, line
        elif flow.mode == "async":
            assert line in asynchronous and line not in synchronous, line
        else:
            assert line not in synchronous and line not in asynchronous, line
    callers = {system.name for system in integration.known_systems if calls_us(system)}
    inbound = {flow.system for flow in context.flows if flow.what == "webhooks" and flow.inbound}
    assert inbound == callers
    assert webhook_rows(spec, integration) == callers
