"""``interlock research NAME --openapi FILE|URL``: research.md and a prefilled interview."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from interlock.cli.options import (
    DEFAULT_MAX_MIB,
    DEFAULT_TIMEOUT,
    AllowRemoteOpt,
    AsyncApiOpt,
    FailOnDriftOpt,
    ForceOpt,
    MaxSizeOpt,
    NameArg,
    OpenApiOpt,
    QuietOpt,
    ReferencesOpt,
    StrictOpt,
    SystemNameOpt,
    TimeoutOpt,
)
from interlock.cli.output import echo_written
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.folders.results import EventResearchResult, ResearchResult
    from interlock.research.asyncapi import AsyncApiDocument
    from interlock.research.openapi import OpenApiDocument

_WARNINGS_SHOWN = 20


def research(
    name: NameArg,
    openapi: OpenApiOpt = None,
    asyncapi: AsyncApiOpt = None,
    allow_remote: AllowRemoteOpt = False,
    system_name: SystemNameOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_MIB,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    force: ForceOpt = False,
    references: ReferencesOpt = None,
    strict: StrictOpt = False,
    fail_on_drift: FailOnDriftOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Read an external system's OpenAPI (or AsyncAPI) document into its research note."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.progress import show_progress
    from interlock.folders.workspace import WorkspaceFolder

    if (openapi is None) == (asyncapi is None):
        raise UsageError(
            "name one document: --openapi FILE|URL, or --asyncapi FILE",
            hint=f"e.g. interlock research {name} --openapi vendor/openapi.yaml",
        )
    folder = WorkspaceFolder.find(Path.cwd()).integration(name)
    # What research prints comes once the progress line is erased. The research
    # takes no stage hook yet: when it does, it is given ``progress.stage``.
    if asyncapi is not None:
        with show_progress("researching the AsyncAPI document", quiet=quiet):
            events = folder.research_events(
                asyncapi,
                system_name=system_name,
                max_bytes=max_size * 1024 * 1024,
                force=force,
                references=references,
            )
        _report_events(events, folder.root, name)
        return
    assert openapi is not None
    with show_progress("researching the OpenAPI document", quiet=quiet):
        result = folder.research(
            openapi,
            allow_remote=allow_remote,
            system_name=system_name,
            max_bytes=max_size * 1024 * 1024,
            timeout=timeout,
            force=force,
            references=references,
            strict=strict,
        )
    _report(result, folder.root, name)
    if fail_on_drift and result.breaking:
        typer.echo(f"{len(result.breaking)} breaking change(s) since the last snapshot", err=True)
        raise typer.Exit(1)


def _report(result: ResearchResult, root: Path, name: str) -> None:
    from interlock.research.constraints import counted

    facts, prefill = result.research, result.prefill
    typer.echo(
        f"read      {result.document.shown} ({result.document.label}): "
        f"{counted(len(facts.operations), 'operation')}, "
        f"{counted(len(facts.webhooks), 'webhook')}, "
        f"{counted(len(facts.auth), 'security scheme')}"
    )
    _echo_warnings(result.document, result.note.relative_to(root))
    _echo_drift(result)
    echo_written(result.written, root)
    answers = result.answers.relative_to(root)
    if prefill.answered:
        typer.echo(f"answered  {', '.join(prefill.answered)} in {answers}")
    for question_id, value in prefill.proposed:
        typer.echo(f"proposed  {question_id}: {value} (confirm it in the interview)")
    for question_id, reason in prefill.passed:
        typer.echo(f"skipped   {question_id}: {reason}")
    if facts.unresolved:
        typer.echo(
            f"{counted(len(facts.unresolved), 'reference')} not followed; "
            f"they are listed in {result.note.relative_to(root)}"
        )
    typer.echo(f"Next: interlock interview {name} asks what the document could not answer.")


def _report_events(result: EventResearchResult, root: Path, name: str) -> None:
    from interlock.research.constraints import counted

    facts, document = result.research, result.document
    typer.echo(
        f"read      {document.shown} (AsyncAPI {document.version}): "
        f"{counted(len(facts.channels), 'channel')}, "
        f"{counted(len(facts.operations), 'operation')}, "
        f"{counted(len(facts.messages), 'message')}, "
        f"{counted(len(facts.auth), 'security scheme')}"
    )
    _echo_warnings(document, result.note.relative_to(root))
    echo_written(result.written, root)
    typer.echo(
        f"Next: interlock interview {name}; the note lists the channels, messages and "
        "bindings to answer from."
    )


def _echo_drift(result: ResearchResult) -> None:
    """Print what changed since the system's last snapshot, breaking changes first."""
    if result.drift is None:
        return
    if not result.drift:
        typer.echo("drift     none since the last snapshot")
    for change in result.drift:
        weight = "BREAKING" if change.breaking else "change  "
        typer.echo(f"drift     {weight} {change.subject}: {change.what}")


def _echo_warnings(document: OpenApiDocument | AsyncApiDocument, note: Path) -> None:
    """Print the first warnings on stderr, and how many more the note lists."""
    for warning in document.warnings[:_WARNINGS_SHOWN]:
        typer.echo(f"warning: {warning}", err=True)
    kept, total = len(document.warnings), document.warnings_total
    left = total - min(kept, _WARNINGS_SHOWN)
    if left and kept == total:
        typer.echo(f"warning: and {left} more, listed in {note}", err=True)
    elif left:
        typer.echo(f"warning: and {left} more; {note} lists the first {kept}", err=True)


__all__ = [
    "research",
]
