"""Render an interview's documents, and write them into the workspace.

Four documents come out of one answer sheet, each from its template:

=========================  ===============================  =========================
file                       template                         open questions section
=========================  ===============================  =========================
``integration-spec.md``    ``integration-spec.md.j2``       Open Questions
``integration-points.md``  ``integration-points.md.j2``     Open Questions
``interview-summary.md``   ``interview-summary.md.j2``      12. Open Integration Questions
``plan.md``                ``plan.md.j2``                   none; see the summary
=========================  ===============================  =========================

``plan.md`` is a checklist the team ticks as the work is done, so rendering it again
keeps the boxes ticked on disk for every item whose text has not changed
(:func:`keep_ticks`).

:func:`render_model` is pure: the integration model in, text out;
:func:`render_documents` does the same from a sheet and its bank. Loading the answers of
a workspace and writing ``specs/<name>/`` is the integration folder's job
(:meth:`IntegrationFolder.render <interlock.folders.integration.IntegrationFolder.render>`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interlock.interview.answer_mapping import build_integration
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.interview.values import entity_key
from interlock.model.integration import Integration, OpenQuestion
from interlock.model.spec_meta import Priority, SpecMeta
from interlock.render.environment import render_template
from interlock.render.markdown_escape import Markdown, normalise_text
from interlock.workspace.author import UNKNOWN_AUTHOR
from interlock.workspace.checklist import PLAN_FILE

__all__ = [
    "DOCUMENTS",
    "DocumentType",
    "ResearchedSystem",
    "keep_ticks",
    "render_documents",
    "render_model",
    "spec_meta",
]


@dataclass(frozen=True, slots=True)
class DocumentType:
    """One document rendered from an interview."""

    file: str
    template: str
    open_title: str
    """The title of its one section listing the open questions."""
    keeps_ticks: bool = False
    """Whether rendering it again keeps the task boxes ticked in the file on disk."""


DOCUMENTS: tuple[DocumentType, ...] = (
    DocumentType("integration-spec.md", "integration-spec.md.j2", "Open Questions"),
    DocumentType("integration-points.md", "integration-points.md.j2", "Open Questions"),
    DocumentType(
        "interview-summary.md", "interview-summary.md.j2", "12. Open Integration Questions"
    ),
    DocumentType(PLAN_FILE, "plan.md.j2", "Open Questions", keeps_ticks=True),
)

_TASK = re.compile(
    r"^(?P<lead>[ \t]*[-*+][ \t]+\[)(?P<box>[ xX])(?P<rest>\][ \t]+(?P<text>.*))$", re.MULTILINE
)
"""A task-list item: its box, and its text after the box."""


def spec_meta(integration: Integration, sheet: AnswerSheet, *, author: str) -> SpecMeta:
    """Return the SpeckIt front matter of ``integration``'s specification.

    ``status`` is ``draft`` and ``approvers`` is empty: both say what the approvals
    record holds, never who is required to approve (the roles the interview names),
    and are written from the record once it exists (``approvals.yaml``, see
    :mod:`interlock.workspace.approvals`).
    """
    kinds = sorted({system.kind.value for system in integration.known_systems})
    vendors = [
        system.slug for system in integration.known_systems if system.kind.value == "external-api"
    ]
    return SpecMeta.model_validate(
        {
            "id": f"spec-integration-{integration.name}-001",
            "title": f"{integration.title} Integration Specification",
            "author": _one_line(author),
            "priority": _priority(integration),
            "createdAt": sheet.created.date(),
            "updatedAt": max(sheet.updated.date(), sheet.created.date()),
            "approvers": [],
            "tags": ["integration", *kinds, *vendors],
        }
    )


DEFAULT_PRIORITY = Priority.MEDIUM
"""The priority front matter states, labelled as a default, when nobody gave one."""


def _priority(integration: Integration) -> Priority:
    return integration.priority if isinstance(integration.priority, Priority) else DEFAULT_PRIORITY


def _front_matter(meta: SpecMeta, integration: Integration) -> Markdown:
    """Return ``meta``'s front matter block, with a default it states labelled as one.

    SpeckIt requires a priority; when the interview has none (the question is open, or
    was not asked below full depth), the field holds :data:`DEFAULT_PRIORITY` and a YAML
    comment says so, so no reader takes it for an answer.
    """
    text = meta.front_matter().rstrip("\n")
    if isinstance(integration.priority, Priority):
        return Markdown(text)
    why = (
        "an open question"
        if isinstance(integration.priority, OpenQuestion)
        else "not asked at this depth"
    )
    line = f"\npriority: {meta.priority}\n"
    return Markdown(text.replace(line, f"{line[:-1]}  # a default: the priority is {why}\n", 1))


@dataclass(frozen=True, slots=True)
class ResearchedSystem:
    """What the documents say of a system from its research note: read from the
    vendor's document, so labelled as such wherever it is shown."""

    note: str
    """The note's path from the documents' folder, ``research/stripe.md``."""
    servers: tuple[str, ...] = ()
    """Base URLs, each with its environment when the document names one."""


def render_model(
    integration: Integration,
    meta: SpecMeta,
    *,
    author: str,
    workspace_root: Path | None = None,
    research: Mapping[str, ResearchedSystem] | None = None,
) -> dict[str, str]:
    """Render every document of ``integration``; return file name → text.

    Args:
        research: the research note of each researched system, by entity key.
    """
    notes = dict(research or {})

    def researched(system: Any) -> ResearchedSystem | None:
        return notes.get(entity_key(str(getattr(system, "name", ""))))

    context: dict[str, Any] = {
        "researched": researched,
        "research_notes": [notes[key] for key in sorted(notes)],
        "integration": integration,
        "meta": meta,
        "front_matter": _front_matter(meta, integration),
        "author": _one_line(author),
        "created": meta.created_at,
        "updated": meta.updated_at,
    }
    documents = {}
    for document in DOCUMENTS:
        text = render_template(
            document.template,
            {**context, "open_title": document.open_title},
            workspace_root=workspace_root,
        )
        documents[document.file] = _tidy(text)
    return documents


def render_documents(
    sheet: AnswerSheet,
    bank: Bank,
    *,
    author: str,
    workspace_root: Path | None = None,
) -> dict[str, str]:
    """Render the documents of ``sheet``'s interview; return file name → text.

    ``createdAt`` and ``updatedAt`` are the days the interview started and was last
    answered, so rendering the same answers again gives the same bytes.

    Raises:
        RenderError: a template failed.
    """
    integration = build_integration(sheet.name, Engine(bank).resolve(sheet))
    meta = spec_meta(integration, sheet, author=author)
    return render_model(integration, meta, author=author, workspace_root=workspace_root)


def keep_ticks(folder: Path, documents: dict[str, str]) -> dict[str, str]:
    """Return ``documents`` with the boxes ticked in ``folder`` ticked again, item by item."""
    kept = dict(documents)
    for document in DOCUMENTS:
        if not document.keeps_ticks or document.file not in documents:
            continue
        try:
            on_disk = (folder / document.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            # Nothing readable to carry over; writing reports a real problem itself.
            continue
        kept[document.file] = _tick_again(documents[document.file], on_disk)
    return kept


def _tick_again(rendered: str, on_disk: str) -> str:
    """Tick each open box of ``rendered`` whose item text is ticked in ``on_disk``.

    An item whose text the new answers changed starts unticked again.
    """
    # The box as it was ticked, "x" or "X", so that an unchanged plan stays byte for byte.
    ticked = {
        found["text"]: found["box"]
        for found in _TASK.finditer(on_disk.replace("\r\n", "\n"))
        if found["box"] in "xX"
    }

    def tick(found: re.Match[str]) -> str:
        box = ticked.get(found["text"], found["box"]) if found["box"] == " " else found["box"]
        return f"{found['lead']}{box}{found['rest']}"

    return _TASK.sub(tick, rendered) if ticked else rendered


def _folded(text: str) -> str:
    return " ".join(normalise_text(text).split())


def _one_line(author: str) -> str:
    return _folded(author) or UNKNOWN_AUTHOR


def _tidy(text: str) -> str:
    """Even out the blank lines a template leaves, and end with one line break.

    Runs of blank lines become one; a heading gets a blank line on each side; a blank
    line between two top-level list items is dropped, since templates print optional
    field lines one by one and a list reads best without gaps. Code blocks are kept
    as they are.
    """
    kept: list[str] = []
    fence = ""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if fence:
            kept.append(line)
            if line.startswith(fence) and not line.strip(fence[0]).strip():
                fence = ""
            continue
        if line.startswith(("```", "~~~")):
            fence = line[: len(line) - len(line.lstrip(line[0]))]
        if not line.strip():
            following = next((rest for rest in lines[index + 1 :] if rest.strip()), "")
            if not kept or not kept[-1].strip():
                continue
            if kept[-1].lstrip(" ").startswith("- ") and following.startswith("- "):
                continue
            kept.append("")
            continue
        if kept and kept[-1].strip() and (line.startswith("#") or kept[-1].startswith("#")):
            kept.append("")
        kept.append(line)
    return "\n".join(kept).strip("\n") + "\n"
