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
keeps the boxes ticked on disk for every item whose text has not changed.

:func:`render_documents` is pure: sheet and bank in, text out.
:func:`render_integration` is what ``interlock render NAME`` calls: it loads the
answers and the bank of a workspace, renders, and writes ``specs/<name>/`` without
overwriting a document edited by hand.
"""

from __future__ import annotations

import getpass
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank, load_bank
from interlock.interview.store import AnswerStore, interview_path
from interlock.model.integration import Integration
from interlock.model.spec_meta import SpecMeta
from interlock.render.answer_mapping import build_integration
from interlock.render.environment import render_template
from interlock.render.manifest import WriteResult, document_diffs, write_documents
from interlock.render.markdown_escape import Markdown, normalise_text

__all__ = [
    "DOCUMENTS",
    "DocumentType",
    "RenderedIntegration",
    "default_author",
    "render_documents",
    "render_integration",
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
    DocumentType("plan.md", "plan.md.j2", "Open Questions", keeps_ticks=True),
)

_TASK = re.compile(
    r"^(?P<lead>[ \t]*[-*+][ \t]+\[)(?P<box>[ xX])(?P<rest>\][ \t]+(?P<text>.*))$", re.MULTILINE
)
"""A task-list item: its box, and its text after the box."""


@dataclass(frozen=True, slots=True)
class RenderedIntegration:
    """What :func:`render_integration` rendered and did with it."""

    folder: Path
    documents: dict[str, str]
    """File name → rendered text."""
    written: WriteResult | None
    """``None`` when nothing was written (``dry_run``)."""
    diffs: dict[str, str]
    """File name → unified diff from the file on disk, for files that differ."""
    open_questions: int


def spec_meta(integration: Integration, sheet: AnswerSheet, *, author: str) -> SpecMeta:
    """Return the SpeckIt front matter of ``integration``'s specification."""
    approvers = integration.approvers if isinstance(integration.approvers, tuple) else ()
    kinds = sorted({system.kind.value for system in integration.known_systems})
    vendors = [
        system.slug for system in integration.known_systems if system.kind.value == "external-api"
    ]
    return SpecMeta.model_validate(
        {
            "id": f"spec-integration-{integration.name}-001",
            "title": f"{integration.title} Integration Specification",
            "author": _one_line(author),
            "priority": integration.priority,
            "createdAt": sheet.created.date(),
            "updatedAt": max(sheet.updated.date(), sheet.created.date()),
            "approvers": [line for line in map(_folded, approvers) if line],
            "tags": ["integration", *kinds, *vendors],
        }
    )


def render_model(
    integration: Integration,
    meta: SpecMeta,
    *,
    author: str,
    workspace_root: Path | None = None,
) -> dict[str, str]:
    """Render every document of ``integration``; return file name → text."""
    context: dict[str, Any] = {
        "integration": integration,
        "meta": meta,
        "front_matter": Markdown(meta.front_matter().rstrip("\n")),
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
    integration = build_integration(sheet, bank)
    meta = spec_meta(integration, sheet, author=author)
    return render_model(integration, meta, author=author, workspace_root=workspace_root)


def render_integration(
    workspace_root: Path,
    name: str,
    *,
    author: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> RenderedIntegration:
    """Render integration ``name`` of a workspace into ``specs/<name>/``.

    Args:
        workspace_root: the folder holding ``.interlock/`` and ``specs/``.
        name: the integration's name (its folder under ``specs/``).
        author: the spec's author; :func:`default_author` when not given.
        force: replace documents edited by hand (each is kept as ``.edited-<time>``).
        dry_run: render and compare, but write nothing (for ``--diff`` or stdout).

    Raises:
        StoreError: no answers yet, or the answers file does not load.
        BankError: the interview's question bank is missing or malformed.
        RenderError: a template failed, or a document was edited by hand.
    """
    path = interview_path(workspace_root, name)
    sheet = AnswerStore(path).load()
    bank = load_bank(sheet.template, workspace_root)
    integration = build_integration(sheet, bank)
    writer = author or default_author(workspace_root)
    meta = spec_meta(integration, sheet, author=writer)
    documents = render_model(integration, meta, author=writer, workspace_root=workspace_root)
    folder = path.parent
    documents = _with_ticks_kept(folder, documents)
    diffs = document_diffs(folder, documents)
    written = None if dry_run else write_documents(folder, documents, force=force)
    return RenderedIntegration(folder, documents, written, diffs, len(integration.open_questions))


def default_author(workspace_root: Path | None = None) -> str:
    """Return git's ``user.name`` for the workspace, else the user logged in."""
    git = shutil.which("git")
    if git is not None:
        try:
            done = subprocess.run(
                [git, "config", "user.name"],
                cwd=workspace_root,
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            done = None
        if done is not None and done.returncode == 0 and done.stdout.strip():
            return _one_line(done.stdout)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown author"


def _with_ticks_kept(folder: Path, documents: dict[str, str]) -> dict[str, str]:
    """Return ``documents`` with the boxes ticked on disk ticked again, item by item."""
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
    return _folded(author) or "unknown author"


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
