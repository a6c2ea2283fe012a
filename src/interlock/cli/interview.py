"""``interlock interview NAME``: the guided interview, in a terminal or scripted.

With no scripting flag it asks round after round in the terminal, saving after every
answer; Ctrl-C leaves every answer given so far on disk and says how to resume. With
``--answer``, ``--skip``, ``--answers``, ``--next`` or ``--no-input`` it speaks the
protocol of ``docs/interview-protocol.md``: the same one the REST API and AI-agent
front ends use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from interlock.cli.errors import EXIT_INTERRUPTED
from interlock.cli.options import (
    DEFAULT_BANK,
    AnswerOpt,
    AnswersOpt,
    ByOpt,
    DepthOpt,
    JsonOpt,
    NameArg,
    NextOpt,
    NoInputOpt,
    OwnerOpt,
    ReasonOpt,
    SkipOpt,
    TemplateOpt,
)
from interlock.errors import AnswerError, UsageError

if TYPE_CHECKING:
    from interlock.cli.prompts import Asker
    from interlock.folders.session import InterviewSession
    from interlock.interview.views import QuestionView, Round


def interview(
    name: NameArg,
    template: TemplateOpt = DEFAULT_BANK,
    depth: DepthOpt = None,
    next_round: NextOpt = False,
    as_json: JsonOpt = False,
    answer: AnswerOpt = None,
    skip: SkipOpt = None,
    reason: ReasonOpt = "",
    owner: OwnerOpt = "",
    answers: AnswersOpt = None,
    no_input: NoInputOpt = False,
    by: ByOpt = None,
) -> None:
    """Interview the team about an integration; answers go to specs/NAME/interview.yaml."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder
    from interlock.interview.batch import AnswerBatch, read_answers_file

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    batch = AnswerBatch(
        read_answers_file(answers) if answers is not None else None,
        tuple(_parse_assignment(assignment) for assignment in answer or ()),
        tuple(skip or ()),
        reason,
        owner,
    )
    if not batch and depth is None and (next_round or as_json or no_input) and folder.exists():
        # Only a read: it takes no lock it cannot have, so a read-only checkout works.
        _print_round(folder.next_round(), as_json, name)
        return
    with folder.interview(template=template, depth=depth, by=by) as session:
        if not (batch or next_round or as_json or no_input):
            _converse(session, name)
            return
        for warning in session.apply(batch):
            typer.echo(f"warning: {warning.message}", err=True)
        _print_round(session.next_round(), as_json, name)


def _parse_assignment(assignment: str) -> tuple[str, Any]:
    question_id, sign, raw = assignment.partition("=")
    if not sign or not question_id.strip():
        raise UsageError(
            f"--answer {assignment!r} is not ID=VALUE",
            hint="e.g. --answer problem.summary='Charge cards at checkout' --answer retries=3",
        )
    from interlock.interview.values import Written

    try:
        parsed = json.loads(raw)
    except ValueError:
        return question_id.strip(), raw
    # What JSON reads (012 is not JSON, but 12 and 1e3 are) is a number only to a
    # question that takes one: a text question keeps the text as typed.
    return question_id.strip(), Written(raw, parsed)


def _print_round(current: Round, as_json: bool, name: str) -> None:
    if as_json:
        typer.echo(json.dumps(current.to_dict(), indent=2, ensure_ascii=False))
        return
    progress = current.progress
    met = sum(1 for signal in current.signals if signal.met)
    typer.echo(
        f"{name}: phase {progress.phase} of {progress.phases} ({progress.phase_title}); "
        f"{progress.answered} answered, {progress.skipped} skipped, "
        f"{progress.remaining} to go; signals {met}/{len(current.signals)}"
    )
    if current.complete:
        typer.echo(f"The interview is complete. Next: interlock render {name}")
        return
    for view in current.questions:
        typer.echo(f"- {view.id} [{view.question.kind}]: {view.prompt}")
        for option in view.question.options:
            mark = " (recommended)" if option.recommended else ""
            typer.echo(f"    {option.value}{mark}: {option.tradeoff}")
        if view.suggestions:
            typer.echo(
                f"    {len(view.suggestions)} proposed by {view.suggestions[0].source}, "
                f"e.g. {view.suggestions[0].value} (all of them: --next --json)"
            )


def _converse(session: InterviewSession, name: str) -> None:
    from interlock.cli.prompts import Asker

    asker = Asker()
    try:
        while True:
            current = session.next_round()
            _print_round_header(current)
            if current.complete:
                typer.echo(f"The interview is complete. Next: interlock render {name}")
                return
            for view in current.questions:
                _ask_until_accepted(session, asker, view)
    except KeyboardInterrupt:
        typer.echo(
            f"\nInterrupted; every answer given so far is saved in {session.path}.\n"
            f"Resume with: interlock interview {name}",
            err=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _ask_until_accepted(session: InterviewSession, asker: Asker, view: QuestionView) -> None:
    while True:
        reply = asker.ask(view, typer.echo)
        try:
            if reply.skipped:
                session.skip(view.id, reason=reply.reason, owner=reply.owner)
                return
            if not _keep_despite_credentials(asker, view.id, reply.value):
                continue
            session.answer(view.id, reply.value)
            return
        except AnswerError as error:
            typer.echo(f"  {error.message}", err=True)
            if error.hint:
                typer.echo(f"  hint: {error.hint}", err=True)


def _keep_despite_credentials(asker: Asker, question_id: str, value: Any) -> bool:
    """Warn about credentials in ``value``; return whether the person keeps it anyway."""
    from interlock.folders.credentials import credential_warnings

    warnings = credential_warnings([(question_id, value)])
    for warning in warnings:
        typer.echo(f"  warning: {warning.message}", err=True)
    return not warnings or asker.confirm("Keep this answer with the credential in it?")


def _print_round_header(current: Round) -> None:
    progress = current.progress
    met = sum(1 for signal in current.signals if signal.met)
    typer.echo(
        f"\n== Phase {progress.phase} of {progress.phases}: {progress.phase_title} "
        f"· {progress.answered} answered · signals met {met}/{len(current.signals)}"
    )


__all__ = [
    "interview",
]
