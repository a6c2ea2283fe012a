"""Write ``outcome.md``: what an integration became, from its interview and its plan.

The outcome note closes the integration workflow. ``interlock outcome NAME`` writes it
into ``specs/NAME/`` from the answers (purpose, key components, the configuration and
secrets it needs, how to test it, its known limitations such as rate limits) and from
the ticks of ``plan.md`` (the success criteria not met). Its "Lessons Learned" section
holds only a prompt: that part is the team's. The file is written like the rendered
documents (:mod:`interlock.render.manifest`): written again while nobody has edited it,
and never over a hand edit unless forced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from interlock.interview.bank import load_bank
from interlock.interview.store import AnswerStore, interview_path
from interlock.model.integration import Integration
from interlock.render.answer_mapping import build_integration
from interlock.render.documents import default_author
from interlock.render.environment import render_template
from interlock.render.manifest import WriteResult, document_diffs, write_documents
from interlock.render.markdown_escape import Markdown
from interlock.workspace.checklist import PLAN_FILE, plan_tasks

__all__ = [
    "OUTCOME_FILE",
    "OUTCOME_TEMPLATE",
    "PlanProgress",
    "RenderedOutcome",
    "read_progress",
    "render_outcome",
    "render_outcome_text",
]

OUTCOME_FILE = "outcome.md"
OUTCOME_TEMPLATE = "outcome.md.j2"
_SUMMARY_LINK = Markdown(
    "[the interview summary](interview-summary.md#12-open-integration-questions)"
)
_SECRET = re.compile(r"secret|password|token|private key|api[ _-]?key|credential", re.IGNORECASE)
"""Words that make a configuration value a secret."""


@dataclass(frozen=True, slots=True)
class PlanProgress:
    """The success criteria of ``plan.md``: ticked and not ticked."""

    found: bool
    done: tuple[str, ...] = ()
    not_done: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderedOutcome:
    """What :func:`render_outcome` rendered and did with it."""

    path: Path
    text: str
    written: WriteResult | None
    """``None`` when nothing was written (``dry_run``)."""
    diff: str
    """A unified diff from the file on disk to ``text``; empty when they are the same."""


def render_outcome_text(
    integration: Integration,
    plan: PlanProgress,
    *,
    author: str,
    written: date,
    workspace_root: Path | None = None,
) -> str:
    """Render the outcome note of ``integration``.

    Raises:
        RenderError: the template failed.
    """
    configuration = (
        integration.configuration if isinstance(integration.configuration, tuple) else ()
    )
    context = {
        "integration": integration,
        "plan": plan,
        "author": " ".join(author.split()) or "unknown author",
        "written": written,
        "settings": [item for item in configuration if not _SECRET.search(item)],
        "secrets": [item for item in configuration if _SECRET.search(item)],
        "summary_link": _SUMMARY_LINK,
    }
    text = render_template(OUTCOME_TEMPLATE, context, workspace_root=workspace_root)
    return _single_blank_lines(text)


def render_outcome(
    workspace_root: Path,
    name: str,
    *,
    author: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    today: date | None = None,
) -> RenderedOutcome:
    """Write ``specs/<name>/outcome.md`` from the interview and ``plan.md``.

    Args:
        workspace_root: the folder holding ``.interlock/`` and ``specs/``.
        name: the integration's name (its folder under ``specs/``).
        author: who the note is written for; :func:`default_author` when not given.
        force: replace an outcome edited by hand (kept as ``.edited-<time>``).
        dry_run: render and compare, but write nothing.
        today: the date the note carries; today when not given.

    Raises:
        StoreError: no answers yet, or the answers file does not load.
        BankError: the interview's question bank is missing or malformed.
        InputError: ``plan.md`` exists but cannot be read.
        RenderError: the template failed, or the outcome was edited by hand.
    """
    path = interview_path(workspace_root, name)
    sheet = AnswerStore(path).load()
    integration = build_integration(sheet, load_bank(sheet.template, workspace_root))
    folder = path.parent
    text = render_outcome_text(
        integration,
        read_progress(folder / PLAN_FILE),
        author=author or default_author(workspace_root),
        written=today or date.today(),
        workspace_root=workspace_root,
    )
    documents = {OUTCOME_FILE: text}
    diff = document_diffs(folder, documents).get(OUTCOME_FILE, "")
    written = None if dry_run else write_documents(folder, documents, force=force)
    return RenderedOutcome(folder / OUTCOME_FILE, text, written, diff)


def read_progress(plan: Path) -> PlanProgress:
    """Return which success criteria of the plan at ``plan`` are ticked.

    Raises:
        InputError: the plan exists but cannot be read.
    """
    tasks = plan_tasks(plan)
    if tasks is None:
        return PlanProgress(found=False)
    return PlanProgress(
        found=True,
        done=tuple(task.text for task in tasks if task.checked),
        not_done=tuple(task.text for task in tasks if not task.checked),
    )


def _single_blank_lines(text: str) -> str:
    """Fold the runs of blank lines a template leaves, and end with one line break."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
