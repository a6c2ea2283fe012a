"""``interlock answers NAME``: every answer with who gave it and when, and revising them.

Without a change flag it lists the answers (``--json`` for scripts). ``--unset ID``
makes questions unanswered again; ``--add-system``, ``--rename-system`` and
``--remove-system`` edit the ``systems`` answer, moving or dropping the per-system
answers with it. Removing a system first says what it drops, and asks (``--yes`` for
a script). Each change is made under the answers file's lock, by the core.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from interlock.cli.errors import printable
from interlock.cli.options import (
    AddSystemOpt,
    ByOpt,
    JsonOpt,
    NameArg,
    RemoveSystemOpt,
    RenameSystemOpt,
    SystemKindOpt,
    UnsetOpt,
    YesOpt,
)
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.folders.answer_status import RecordedAnswer
    from interlock.folders.integration import IntegrationFolder
    from interlock.folders.systems import SystemChange

_KINDS = "external-api, internal-service, database, queue or file-transfer"


def answers(
    name: NameArg,
    as_json: JsonOpt = False,
    unset: UnsetOpt = None,
    add_system: AddSystemOpt = None,
    kind: SystemKindOpt = None,
    rename_system: RenameSystemOpt = None,
    remove_system: RemoveSystemOpt = None,
    yes: YesOpt = False,
    by: ByOpt = None,
) -> None:
    """Show every answer (who, when); unset answers; add, rename or remove systems."""
    _check_flags(unset, add_system, kind, rename_system, remove_system)
    # Imported here, so that `interlock --help` starts fast.
    from interlock.folders.workspace import WorkspaceFolder

    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    if unset:
        with folder.revise(by=by) as session:
            removed = session.unset(unset)
        _report(as_json, {"unset": list(unset)}, _unset_lines(unset, removed, name))
    elif add_system is not None and kind is not None:
        with folder.revise(by=by) as session:
            change = session.add_system(add_system, kind)
        _report(as_json, {"change": change.to_dict()}, _change_lines(change, name))
    elif rename_system is not None:
        with folder.revise(by=by) as session:
            change = session.rename_system(*rename_system)
        _report(as_json, {"change": change.to_dict()}, _change_lines(change, name))
    elif remove_system is not None:
        _remove(folder, remove_system, yes=yes, as_json=as_json, by=by)
    else:
        _list(folder.recorded_answers(), as_json, name)


def _check_flags(
    unset: Sequence[str] | None,
    add_system: str | None,
    kind: str | None,
    rename_system: tuple[str, str] | None,
    remove_system: str | None,
) -> None:
    given = [
        flag
        for flag, value in (
            ("--unset", unset),
            ("--add-system", add_system),
            ("--rename-system", rename_system),
            ("--remove-system", remove_system),
        )
        if value
    ]
    if len(given) > 1:
        raise UsageError(
            f"{' and '.join(given)} change answers in different ways; give one per call",
            hint="run the command once for each change",
        )
    if add_system is not None and kind is None:
        raise UsageError(
            f"--add-system {add_system!r} needs --kind", hint=f"the kinds are {_KINDS}"
        )
    if kind is not None and add_system is None:
        raise UsageError(
            "--kind goes with --add-system NAME",
            hint="e.g. --add-system Slack --kind external-api",
        )


def _remove(
    folder: IntegrationFolder, name: str, *, yes: bool, as_json: bool, by: str | None
) -> None:
    """Say what removing system ``name`` drops, ask (unless ``yes``), then remove it."""
    from interlock.cli.prompts import Asker

    with folder.revise(by=by) as session:
        removal = session.system_removal(name)
        lines = _removal_lines(removal, session.sheet.answers)
        if not yes:
            if as_json or not sys.stdin.isatty():
                raise UsageError(
                    f"removing {removal.name!r} drops {len(removal.answers)} answers; "
                    "nothing was changed",
                    hint=f"run again with --yes to remove it; it drops: "
                    f"{', '.join(removal.answers) or 'no other answer'}",
                )
            for line in lines:
                typer.echo(printable(line))
            if not Asker().confirm(f"Remove {removal.name!r} and drop these answers?"):
                typer.echo("Nothing was changed.")
                return
        change = session.remove_system(name)
    done = [f"removed {change.name!r} and {len(change.answers)} answers about it"]
    done += [f"kept {path.name} (delete it if it is no longer wanted)" for path in change.notes]
    _report(as_json, {"change": change.to_dict()}, done)


def _report(as_json: bool, data: dict[str, Any], lines: list[str]) -> None:
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in lines:
        typer.echo(printable(line))


def _unset_lines(ids: Sequence[str], removed: Sequence[Any], name: str) -> list[str]:
    lines = [
        f"unset {question_id} (was {_inline(answer.value, answer.skipped)}, by {answer.by or '?'})"
        for question_id, answer in zip(ids, removed, strict=True)
    ]
    lines.append(f"They are asked again: interlock interview {name}")
    return lines


def _change_lines(change: SystemChange, name: str) -> list[str]:
    if change.action == "add":
        return [
            f"added {change.name!r} (key {change.key})",
            f"Its questions are asked next: interlock interview {name}",
        ]
    moved = [*change.answers, *(path.name for path in change.notes)]
    if change.key == change.new_key:
        return [f"renamed {change.name!r} to {change.new_name!r}; its key stays {change.key}"]
    return [
        f"renamed {change.name!r} to {change.new_name!r}: key {change.key} -> {change.new_key}",
        f"moved {len(change.answers)} answers and {len(change.notes)} research files"
        + (f": {', '.join(moved)}" if moved else ""),
    ]


def _removal_lines(removal: SystemChange, given: Any) -> list[str]:
    lines = [f"Removing {removal.name!r} (key {removal.key}) drops:"]
    for question_id in removal.answers:
        answer = given[question_id]
        lines.append(f"  {question_id}: {_inline(answer.value, answer.skipped)}")
    if not removal.answers:
        lines.append("  no other answer")
    lines += [f"and keeps {path.name} (delete it yourself if unwanted)" for path in removal.notes]
    return lines


def _list(rows: Sequence[RecordedAnswer], as_json: bool, name: str) -> None:
    if as_json:
        data = {"name": name, "answers": [row.to_dict() for row in rows]}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in counts.items())
    typer.echo(f"{name}: {len(rows)} answers" + (f" ({summary})" if summary else ""))
    for row in rows:
        mark = "" if row.status == "answered" else f" [{row.status}]"
        typer.echo(printable(f"\n{row.id}{mark}  {row.prompt}".rstrip()))
        for line in _value_lines(row):
            typer.echo(printable(f"  {line}"))
        typer.echo(f"  by {row.answer.by or '?'}, {row.to_dict()['at']}")
        if row.why:
            typer.echo(printable(f"  not asked now: {row.why}"))


def _value_lines(row: RecordedAnswer) -> list[str]:
    answer = row.answer
    if answer.skipped:
        lines = ["skipped (don't know)"]
        lines += [f"why: {answer.reason}"] if answer.reason else []
        lines += [f"owner: {answer.owner}"] if answer.owner else []
        return lines
    value = answer.value
    if isinstance(value, list):
        return [f"- {_item(item)}" for item in value] or ["(none)"]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, str):
        return value.splitlines() or [""]
    return [json.dumps(value, ensure_ascii=False)]


def _item(item: Any) -> str:
    """One item of a list answer; a record as its name, key and other fields."""
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        from interlock.interview.values import entity_key

        fields = ", ".join(
            f"{key} {value}" for key, value in item.items() if key != "name" and value
        )
        return f"{item['name']} [{entity_key(item['name'])}]" + (f" ({fields})" if fields else "")
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)


def _inline(value: Any, skipped: bool) -> str:
    if skipped:
        return "skipped"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


__all__ = ["answers"]
