"""``interlock interview NAME``: the guided interview, in a terminal or scripted.

With no scripting flag it asks round after round in the terminal, saving after every
answer and showing any contradiction between answers as soon as it appears; Ctrl-C
leaves every answer given so far on disk and says how to resume; ``--revise ID`` asks
one question again. With ``--answer``, ``--skip``, ``--answers``,
``--next`` or ``--no-input`` it speaks the protocol of ``docs/interview-protocol.md``:
the same one the REST API and AI-agent front ends use. Without those flags and with
no terminal to ask in (input piped or redirected), it stops with exit 2 and says
which flag to use, rather than prompting into nothing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
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
    ReviseOpt,
    SkipOpt,
    TemplateOpt,
)
from interlock.errors import AnswerError, UsageError

if TYPE_CHECKING:
    from interlock.cli.prompts import Asker
    from interlock.folders.session import AnswerWarning, InterviewSession
    from interlock.interview.views import Contradiction, QuestionView, Round


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
    revise: ReviseOpt = None,
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
    scripted = bool(batch) or next_round or as_json or no_input
    _refuse_without_terminal(name, scripted, revise)
    level = depth.value if depth is not None else None
    if not batch and level is None and scripted and folder.exists():
        # Only a read: it takes no lock it cannot have, so a read-only checkout works.
        _print_round(folder.next_round(), as_json, name)
        return
    with folder.interview(template=template, depth=level, by=by) as session:
        if revise is not None:
            _revise(session, revise, name)
            return
        if not scripted:
            _converse(session, name)
            return
        warnings = session.apply(batch)
        for warning in warnings if not as_json else ():  # under --json, they are in it
            typer.echo(f"warning: {warning.message}", err=True)
        _print_round(session.next_round(), as_json, name, warnings)


def _refuse_without_terminal(name: str, scripted: bool, revise: str | None) -> None:
    """Refuse to ask questions with no terminal to ask them in, naming what works."""
    if revise is not None and scripted:
        raise UsageError(
            "--revise asks one question in the terminal; it does not combine with "
            "--answer, --skip, --answers, --next, --json or --no-input",
            hint=f"in a script, revise an answer with: interlock interview {name} "
            f"--answer {revise}=VALUE",
        )
    if scripted or sys.stdin.isatty():
        return
    if revise is not None:
        raise UsageError(
            "--revise asks in a terminal, and the input is not a terminal",
            hint=f"revise it with: interlock interview {name} --answer {revise}=VALUE",
        )
    raise UsageError(
        "the input is not a terminal, so the interview cannot ask its questions",
        hint=f"script it: 'interlock interview {name} --next' (add --json) prints the next "
        "questions; --answer ID=VALUE (repeatable) or --answers FILE answers them, "
        "--skip ID skips one; or run it in a terminal",
    )


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


def _print_round(
    current: Round, as_json: bool, name: str, warnings: Sequence[AnswerWarning] = ()
) -> None:
    if as_json:
        data = current.to_dict()
        if warnings:
            data["warnings"] = [warning.to_dict() for warning in warnings]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    progress = current.progress
    typer.echo(
        f"{name}: phase {progress.phase} of {progress.phases} ({progress.phase_title}); "
        f"{progress.answered} answered, {progress.skipped} skipped, "
        f"{progress.remaining} to go; signals settled {_settled(current)}"
    )
    _print_contradictions(current.contradictions, name, scripted=True)
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
        current = session.next_round()
        shown = _show_new_contradictions(current, frozenset(), name)
        while True:
            _print_round_header(current)
            if current.complete:
                typer.echo(f"The interview is complete. Next: interlock render {name}")
                return
            asked, after = current.questions, current
            for view in asked:
                _ask_until_accepted(session, asker, view)
                # Read after every answer, so that a contradiction is shown right after
                # the answer that caused it; the last one read is the next round.
                after = session.next_round()
                shown = _show_new_contradictions(after, shown, name)
            current = after
    except KeyboardInterrupt:
        typer.echo(
            f"\nInterrupted; every answer given so far is saved in {session.path}.\n"
            f"Resume with: interlock interview {name}",
            err=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _revise(session: InterviewSession, question_id: str, name: str) -> None:
    """Ask ``question_id`` again, showing its answer; Ctrl-C keeps the old answer."""
    from interlock.cli.prompts import Asker

    view = session.view(question_id)
    given = session.sheet.answers.get(question_id)
    if given is None:
        typer.echo(f"{question_id} is not answered yet.")
    else:
        typer.echo(f"{question_id}: {_shown(given.value, given.skipped)} (by {given.by or '?'})")
    if view.question.kind == "entities":
        typer.echo(
            f"To rename or remove one and keep its answers, use: interlock answers {name} "
            "--rename-system OLD NEW (or --remove-system NAME)"
        )
    why = session.why_not_asked(question_id)
    if why is not None:
        typer.echo(f"warning: {question_id} is not asked now: {why}", err=True)
    asker = Asker()
    try:
        _ask_until_accepted(session, asker, view, given.value if given else None)
    except KeyboardInterrupt:
        typer.echo(f"\nInterrupted; {question_id} is as it was.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    typer.echo(f"Saved. See every answer with: interlock answers {name}")
    still = session.next_round().contradictions
    _print_contradictions([found for found in still if question_id in found.questions], name)


def _shown(value: Any, skipped: bool) -> str:
    if skipped:
        return "skipped (don't know)"
    if isinstance(value, list):
        return "".join(f"\n  - {json.dumps(item, ensure_ascii=False)}" for item in value)
    return json.dumps(value, ensure_ascii=False)


def _ask_until_accepted(
    session: InterviewSession, asker: Asker, view: QuestionView, current: Any = None
) -> None:
    while True:
        reply = asker.ask(view, typer.echo, current)
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
    typer.echo(
        f"\n== Phase {progress.phase} of {progress.phases}: {progress.phase_title} "
        f"· {progress.answered} answered · {progress.skipped} skipped "
        f"· signals settled {_settled(current)}"
    )


def _settled(current: Round) -> str:
    """Count the signals that let the interview complete: met, or waived by skips with
    a reason."""
    settled = sum(1 for signal in current.signals if signal.settled)
    return f"{settled}/{len(current.signals)}"


def _show_new_contradictions(
    current: Round, shown: frozenset[tuple[str, str | None]], name: str
) -> frozenset[tuple[str, str | None]]:
    """Show the contradictions of ``current`` not in ``shown``; return those standing.

    One that stands is shown once; it is shown again only if it goes away and comes back.
    """
    standing = {(found.id, found.key): found for found in current.contradictions}
    _print_contradictions([found for key, found in standing.items() if key not in shown], name)
    return frozenset(standing)


def _print_contradictions(
    found: Sequence[Contradiction], name: str, *, scripted: bool = False
) -> None:
    """Show each contradiction: what clashes, the answers involved, how to resolve it,
    and what happens if it is left."""
    for contradiction in found:
        ids = contradiction.questions
        fix = f"interlock interview {name} --revise {ids[0]}"
        if scripted:
            fix = f"interlock interview {name} --answer {ids[0]}=VALUE (or {fix} in a terminal)"
        typer.echo(
            f"\nContradiction: {contradiction.message}\n"
            f"  answers involved: {', '.join(ids)}\n"
            f"  to fix it, revise one of them: {fix}\n"
            "  left as it is, it stays recorded as an open question in the documents"
        )


__all__ = [
    "interview",
]
