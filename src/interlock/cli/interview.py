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
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interlock.cli.errors import EXIT_INTERRUPTED
from interlock.errors import AnswerError, UsageError

if TYPE_CHECKING:
    from interlock.interview.answers import AnswerSheet
    from interlock.interview.engine import Engine
    from interlock.interview.store import AnswerStore
    from interlock.interview.views import Round

# The core is imported inside the command, so that `interlock --help` starts fast.

NameArg = Annotated[str, typer.Argument(help="The integration's name, e.g. payments.")]
TemplateOpt = Annotated[
    str, typer.Option("--template", help="Question bank to use for a new interview.")
]
DepthOpt = Annotated[
    str | None,
    typer.Option("--depth", help="quick, standard or full. Default: standard, or as before."),
]
NextOpt = Annotated[bool, typer.Option("--next", help="Print the next round of questions.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AnswerOpt = Annotated[
    list[str] | None,
    typer.Option("--answer", "-a", help="ID=VALUE; VALUE is JSON when it parses, else text."),
]
SkipOpt = Annotated[
    list[str] | None, typer.Option("--skip", help='Question id to skip ("don\'t know").')
]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why the skipped questions are open.")]
OwnerOpt = Annotated[str, typer.Option("--owner", help="Who will answer the skipped ones.")]
AnswersOpt = Annotated[
    Path | None, typer.Option("--answers", help="YAML or JSON file: question id -> value.")
]
NoInputOpt = Annotated[
    bool, typer.Option("--no-input", help="Never prompt; apply the given answers and stop.")
]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who answers. Default: git user.")]


def interview(
    name: NameArg,
    template: TemplateOpt = "integration",
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
    from interlock.cli.workspace import engine_for, open_store, require_root
    from interlock.interview.schema import DEPTHS
    from interlock.render.documents import default_author

    if depth is not None and depth not in DEPTHS:
        raise UsageError(f"unknown depth {depth!r}", hint=f"choose one of {', '.join(DEPTHS)}")
    root = require_root(Path.cwd())
    store = open_store(root, name)
    who = by or default_author(root)
    scripted = bool(next_round or as_json or answer or skip or answers or no_input)
    with store.session():
        sheet = _start(store, name, template, depth)
        engine = engine_for(sheet, root)
        if not scripted:
            _converse(engine, store, sheet, name, who)
            return
        updated = _apply(engine, sheet, answers, answer or [], skip or [], reason, owner, who)
        if updated is not None:
            store.save(updated)
        _print_round(engine.next_round(updated or sheet), as_json, name)


def _start(store: AnswerStore, name: str, template: str, depth: str | None) -> AnswerSheet:
    from interlock.interview.answers import AnswerSheet

    if store.exists():
        sheet = store.load()
        if depth is not None and depth != sheet.depth:
            sheet = sheet.model_copy(update={"depth": depth})
            store.save(sheet)
        return sheet
    sheet = AnswerSheet(name=name, template=template, depth=depth or "standard")
    store.save(sheet)
    return sheet


def _apply(
    engine: Engine,
    sheet: AnswerSheet,
    answers_file: Path | None,
    assignments: list[str],
    skips: list[str],
    reason: str,
    owner: str,
    who: str,
) -> AnswerSheet | None:
    """Apply every scripted answer, all or nothing; ``None`` when there were none."""
    if not (answers_file or assignments or skips):
        return None
    if answers_file is not None:
        values, lines = _read_answers(answers_file)
        sheet = engine.apply_answers(sheet, values, by=who, path=answers_file, lines=lines)
    for assignment in assignments:
        question_id, value = _parse_assignment(assignment)
        sheet = engine.answer(sheet, question_id, value, by=who)
    for question_id in skips:
        sheet = engine.skip(sheet, question_id, reason=reason, owner=owner, by=who)
    return sheet


def _read_answers(path: Path) -> tuple[dict[str, Any], dict[Any, int]]:
    from interlock.safe_yaml import load_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read answers file: {error}", path=path) from None
    loaded = load_yaml(text, path=path)
    if not isinstance(loaded.value, dict):
        raise AnswerError("an answers file is a mapping of question id to value", path=path, line=1)
    return {str(key): value for key, value in loaded.value.items()}, dict(loaded.lines)


def _parse_assignment(assignment: str) -> tuple[str, Any]:
    question_id, sign, raw = assignment.partition("=")
    if not sign or not question_id.strip():
        raise UsageError(
            f"--answer {assignment!r} is not ID=VALUE",
            hint="e.g. --answer problem.summary='Charge cards at checkout' --answer retries=3",
        )
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return question_id.strip(), value


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


def _converse(engine: Engine, store: AnswerStore, sheet: AnswerSheet, name: str, who: str) -> None:
    from interlock.cli.prompts import Asker

    asker = Asker()
    try:
        while True:
            current = engine.next_round(sheet)
            _print_round_header(current)
            if current.complete:
                typer.echo(f"The interview is complete. Next: interlock render {name}")
                return
            for view in current.questions:
                sheet = _ask_until_accepted(engine, asker, sheet, view, who)
                store.save(sheet)
    except KeyboardInterrupt:
        typer.echo(
            f"\nInterrupted; every answer given so far is saved in {store.path}.\n"
            f"Resume with: interlock interview {name}",
            err=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _ask_until_accepted(
    engine: Engine, asker: Any, sheet: AnswerSheet, view: Any, who: str
) -> AnswerSheet:
    while True:
        reply = asker.ask(view, typer.echo)
        try:
            if reply.skipped:
                return engine.skip(sheet, view.id, reason=reply.reason, owner=reply.owner, by=who)
            return engine.answer(sheet, view.id, reply.value, by=who)
        except AnswerError as error:
            typer.echo(f"  {error.message}", err=True)
            if error.hint:
                typer.echo(f"  hint: {error.hint}", err=True)


def _print_round_header(current: Round) -> None:
    progress = current.progress
    met = sum(1 for signal in current.signals if signal.met)
    typer.echo(
        f"\n== Phase {progress.phase} of {progress.phases}: {progress.phase_title} "
        f"· {progress.answered} answered · signals met {met}/{len(current.signals)}"
    )
