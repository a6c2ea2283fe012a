"""Render ``outcome.md``: what an integration became, from its interview and its plan.

The outcome note closes the integration workflow. ``interlock outcome NAME`` writes it
into ``specs/NAME/`` from the answers (purpose, key components, the configuration and
secrets it needs, how to test it, its known limitations such as rate limits) and from
the ticks of ``plan.md`` (the success criteria not met). Its "Lessons Learned" section
holds only a prompt: that part is the team's. The integration folder writes the file
like the rendered documents (:mod:`interlock.render.manifest`): written again while
nobody has edited it, and never over a hand edit unless forced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from interlock.model.integration import Integration
from interlock.render.environment import render_template
from interlock.render.markdown_escape import Markdown
from interlock.workspace.author import UNKNOWN_AUTHOR
from interlock.workspace.checklist import plan_tasks

__all__ = [
    "OUTCOME_FILE",
    "OUTCOME_TEMPLATE",
    "PlanProgress",
    "read_progress",
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
        "author": " ".join(author.split()) or UNKNOWN_AUTHOR,
        "written": written,
        "settings": [item for item in configuration if not _SECRET.search(item)],
        "secrets": [item for item in configuration if _SECRET.search(item)],
        "summary_link": _SUMMARY_LINK,
    }
    text = render_template(OUTCOME_TEMPLATE, context, workspace_root=workspace_root)
    return _single_blank_lines(text)


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
