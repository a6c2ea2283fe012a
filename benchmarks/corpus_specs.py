"""Generate a reproducible corpus of filled-in integration specs for the benchmark.

Each document follows the section structure of the integration specification
template, fully written out with varied systems, endpoints, numbers and tables (about
12 KB), and carries valid SpeckIt front matter with a unique
``spec-integration-<name>-NNN`` id. Links (``parent``, ``dependencies``, ``related``)
only point at earlier documents, so the link graph is acyclic and, but for the planted
dangling links, every link resolves.
A few documents get planted problems, so a run exercises findings:

- every 50th document leaves one value as a template placeholder;
- every 100th document leaves a "TBD" in its limitations;
- every 250th document depends on an id that no document defines.

The ``many-findings`` profile writes the same documents as a team leaves the template
it filled in: every section keeps a guidance comment (13 in all) and an open sign-off
checklist of 8 items closes the document, with longer prose (about 19 KB a spec), so a
run reports about 21 findings a spec.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus_sections import SpecWriter
from corpus_vocabulary import FLOWS, PEOPLE, SYSTEMS, TEAMS, System

PLACEHOLDER_EVERY = 50
OPEN_QUESTION_EVERY = 100
DANGLING_EVERY = 250
DANGLING_TARGET = "spec-integration-legacy-ledger-999"
_LINK_WINDOW = 400

FEW_FINDINGS = "few-findings"
"""Specs written out in full: a handful of planted problems in the whole corpus."""
MANY_FINDINGS = "many-findings"
"""Specs as a team leaves the template it filled in: 13 guidance comments and 8 open
checklist items each, so about 21 findings a spec."""
PROFILES = (FEW_FINDINGS, MANY_FINDINGS)
GUIDANCE_COMMENTS = 13
GUIDANCE = (
    "Say what this part of the integration is for, in a sentence a newcomer follows",
    "Name who owns each system and how to reach them during an incident",
    "Show how data moves between the systems, one flow at a time",
    "List each operation with its inputs, outputs and the errors it returns",
    "Describe what happens when a dependency is slow, down or wrong",
    "Write down the figures the integration must meet, with their units",
)
TIP = "Prefer concrete numbers and names to adjectives"
OPEN_ITEMS = (
    "Goals agreed with the product owner",
    "Owners of every system confirmed",
    "Field mapping checked against real payloads",
    "Contract tests cover every operation",
    "Failure modes rehearsed in staging",
    "Alerts routed to the on-call rotation",
    "Security review booked",
    "Rollback tried once end to end",
)


@dataclass(frozen=True, slots=True)
class Corpus:
    """What :func:`write_corpus` wrote."""

    files: int
    total_bytes: int
    placeholders: int
    open_questions: int
    dangling_links: int


def write_corpus(
    folder: Path, count: int, *, seed: int = 20240502, profile: str = FEW_FINDINGS
) -> Corpus:
    """Write ``count`` specs of ``profile`` under ``folder`` (one sub-folder per system)."""
    rng = random.Random(seed)
    ids: list[str] = []
    sequence: dict[str, int] = {}
    total = 0
    made: set[Path] = set()
    for index in range(count):
        system = SYSTEMS[rng.randrange(len(SYSTEMS))]
        flow_slug, flow = FLOWS[rng.randrange(len(FLOWS))]
        name = f"{system.slug}-{flow_slug}"
        sequence[name] = sequence.get(name, 0) + 1
        spec_id = f"spec-integration-{name}-{sequence[name]:03d}"
        text = render_spec(rng, index, spec_id, system, flow, ids, profile=profile)
        ids.append(spec_id)
        target = folder / system.slug
        if target not in made:
            target.mkdir(parents=True, exist_ok=True)
            made.add(target)
        data = text.encode("utf-8")
        (target / f"{name}-{sequence[name]:03d}.md").write_bytes(data)
        total += len(data)
    return Corpus(
        files=count,
        total_bytes=total,
        placeholders=_planted(count, PLACEHOLDER_EVERY),
        open_questions=_planted(count, OPEN_QUESTION_EVERY),
        dangling_links=_planted(count, DANGLING_EVERY),
    )


def _planted(count: int, every: int) -> int:
    return len(range(every - 1, count, every))


def render_spec(
    rng: random.Random,
    index: int,
    spec_id: str,
    system: System,
    flow: str,
    ids: list[str],
    *,
    profile: str = FEW_FINDINGS,
) -> str:
    """Return one filled-in integration spec, as ``profile`` shapes it."""
    writer = SpecWriter(rng, system, flow, TEAMS[rng.randrange(len(TEAMS))])
    placeholder = (index + 1) % PLACEHOLDER_EVERY == 0
    open_question = (index + 1) % OPEN_QUESTION_EVERY == 0
    dangling = (index + 1) % DANGLING_EVERY == 0
    body = writer.body(placeholder=placeholder, open_question=open_question)
    if profile == MANY_FINDINGS:
        body = _as_left_by_the_template(writer, body)
    parts = [_front_matter(rng, spec_id, system, flow, ids, dangling=dangling), *body]
    return "\n".join(parts)


def _as_left_by_the_template(writer: SpecWriter, body: list[str]) -> list[str]:
    """Return ``body`` as a team leaves a template it filled in: each section still under
    its guidance comment, an open checklist at the end, and longer prose (~19 KB)."""
    kept = [body[0]]
    for number, section in enumerate(body[1:]):
        heading, _, rest = section.partition("\n")
        if number < GUIDANCE_COMMENTS:
            purpose = GUIDANCE[number % len(GUIDANCE)]
            rest = f"\n<!--\n  PURPOSE: {purpose}\n  TIPS:\n  - {TIP}\n-->\n{rest}"
        kept.append(f"{heading}\n{rest}\n{writer.prose(4)}\n")
    items = "".join(f"- [ ] {item}\n" for item in OPEN_ITEMS)
    kept.append(f"## Sign-off Checklist\n\n{items}")
    return kept


def _front_matter(
    rng: random.Random, spec_id: str, system: System, flow: str, ids: list[str], *, dangling: bool
) -> str:
    earlier = ids[-_LINK_WINDOW:]
    dependencies = rng.sample(earlier, min(len(earlier), rng.randrange(4)))
    related = rng.sample(earlier, min(len(earlier), rng.randrange(3)))
    if dangling:
        dependencies.append(DANGLING_TARGET)
    parent = rng.choice(earlier) if earlier and rng.random() < 0.3 else ""
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 28)
    people = rng.sample(PEOPLE, 4)
    lines = [
        "---",
        "# Required metadata for SpeckIt validation",
        f"id: '{spec_id}'",
        f"title: '{system.name} {flow.title()} Integration Specification'",
        "type: 'service_spec'",
        "category: 'architecture'",
        f"author: '{people[0]}'",
        f"version: '1.{rng.randrange(6)}.{rng.randrange(10)}'",
        f"status: '{rng.choice(('draft', 'review', 'approved', 'implemented'))}'",
        f"priority: '{rng.choice(('low', 'medium', 'high', 'critical'))}'",
        f"createdAt: '2024-{month:02d}-{day:02d}'",
        f"updatedAt: '2025-{month:02d}-{day:02d}'",
        f"estimatedEffort: {rng.randrange(16, 400, 8)}",
        f"actualEffort: {rng.randrange(8, 480, 4)}",
        f"reviewers: {_yaml_list(_handle(person) for person in people[1:3])}",
        f"approvers: {_yaml_list([_handle(people[3])])}",
        f"tags: {_yaml_list(['integration', system.protocol.split()[0].lower(), system.slug])}",
        "",
        "# Traceability links for SpeckIt validation",
        *([f"parent: '{parent}'"] if parent else []),
        f"dependencies: {_yaml_list(dependencies)}",
        f"related: {_yaml_list(related)}",
        "---",
        "",
    ]
    return "\n".join(lines)


def _yaml_list(items: Iterator[str] | list[str]) -> str:
    return "[" + ", ".join(f"'{item}'" for item in items) + "]"


def _handle(person: str) -> str:
    plain = unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-")


__all__ = [
    "DANGLING_TARGET",
    "FEW_FINDINGS",
    "MANY_FINDINGS",
    "PROFILES",
    "Corpus",
    "render_spec",
    "write_corpus",
]
