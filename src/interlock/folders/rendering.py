"""Writing an integration's documents and its outcome note, from its answers.

What :meth:`IntegrationFolder.render <interlock.folders.integration.IntegrationFolder.render>`
and :meth:`~interlock.folders.integration.IntegrationFolder.write_outcome` do: the
answers are resolved into the integration model, the model is rendered (the documents
link the research notes, and the spec's front matter says what the approvals record
supports), and the result is compared with the files on disk and written, never over
a hand edit unless forced.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from interlock.folders.approvals import stamped_documents
from interlock.folders.results import RenderedIntegration, RenderedOutcome
from interlock.interview.answer_mapping import build_integration
from interlock.render.documents import ResearchedSystem, keep_ticks, render_model, spec_meta
from interlock.render.manifest import document_diffs, write_documents
from interlock.render.outcome import OUTCOME_FILE, read_progress, render_outcome_text
from interlock.workspace.approval_roles import required_roles
from interlock.workspace.author import default_author

if TYPE_CHECKING:
    from interlock.folders.integration import IntegrationFolder

__all__ = ["render_documents", "write_outcome"]


def render_documents(
    folder: IntegrationFolder, *, author: str | None, force: bool, dry_run: bool
) -> RenderedIntegration:
    """Render the documents into the folder, never over a hand edit unless ``force``.

    Args:
        author: the spec's author; git's ``user.name`` (else the user) if ``None``.
        force: replace documents edited by hand (each is kept as ``.edited-<time>``).
        dry_run: render and compare with the files on disk, but write nothing.

    Raises:
        UsageError: the interview has not begun.
        StoreError: the answers do not load.
        BankError: the interview's question bank is missing or malformed.
        RenderError: a template failed, or a document was edited by hand.
    """
    sheet = folder.sheet()
    integration = build_integration(sheet.name, folder.engine(sheet).resolve(sheet))
    writer = author or default_author(folder.root)
    meta = spec_meta(integration, sheet, author=writer)
    rendered = render_model(
        integration,
        meta,
        author=writer,
        workspace_root=folder.root,
        research=_researched(folder),
    )
    documents = stamped_documents(
        folder.path,
        keep_ticks(folder.path, rendered),
        required_roles(sheet),
        within=folder.root.resolve(),
    )
    diffs = document_diffs(folder.path, documents)
    written = None if dry_run else write_documents(folder.path, documents, force=force)
    return RenderedIntegration(folder.path, documents, written, diffs, integration.open_questions)


def write_outcome(
    folder: IntegrationFolder, *, author: str | None, force: bool, dry_run: bool, today: date | None
) -> RenderedOutcome:
    """Write ``outcome.md`` from the answers and the ticks of ``plan.md``.

    Args:
        author: who the note is written for; git's ``user.name`` if ``None``.
        force: replace an outcome edited by hand (kept as ``.edited-<time>``).
        dry_run: render and compare, but write nothing.
        today: the date the note carries; today if ``None``.

    Raises:
        UsageError: the interview has not begun.
        InputError: ``plan.md`` exists but cannot be read.
        RenderError: the template failed, or the outcome was edited by hand.
    """
    text = render_outcome_text(
        folder.integration(),
        read_progress(folder.plan_path),
        author=author or default_author(folder.root),
        written=today or date.today(),
        workspace_root=folder.root,
    )
    documents = {OUTCOME_FILE: text}
    diff = document_diffs(folder.path, documents).get(OUTCOME_FILE, "")
    written = None if dry_run else write_documents(folder.path, documents, force=force)
    return RenderedOutcome(folder.outcome_path, text, written, diff)


def _researched(folder: IntegrationFolder) -> dict[str, ResearchedSystem]:
    """The research notes the documents link to, and the base URLs they found."""
    found: dict[str, ResearchedSystem] = {}
    for note in folder.research_notes():
        summary = note.summary()
        if summary is not None:
            link = note.note.relative_to(folder.path).as_posix()
            found[note.key] = ResearchedSystem(link, summary.servers)
    return found
