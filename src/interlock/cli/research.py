"""``interlock research NAME --openapi FILE|URL``: research.md and a prefilled interview."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interlock.cli.workspace import require_root

if TYPE_CHECKING:
    from interlock.research.integration import ResearchResult

# Defaults written out rather than imported, so that `interlock --help` loads no core;
# tests/cli/test_research_defaults.py checks that they match the core's.
DEFAULT_MAX_MIB = 10
DEFAULT_TIMEOUT = 30.0

NameArg = Annotated[str, typer.Argument(help="The integration's name, e.g. payments.")]
OpenApiOpt = Annotated[
    str,
    typer.Option(
        "--openapi",
        help="The external system's OpenAPI 3.x or Swagger 2.0 document: a file or a URL.",
        show_default=False,
    ),
]
AllowRemoteOpt = Annotated[
    bool,
    typer.Option(
        "--allow-remote", help="Fetch a URL and remote $refs; otherwise they are never fetched."
    ),
]
SystemNameOpt = Annotated[
    str | None,
    typer.Option("--system-name", help="What to call the system. Default: the document's title."),
]
MaxSizeOpt = Annotated[
    int,
    typer.Option("--max-size", min=1, help="Largest document accepted, in MiB (all its files)."),
]
TimeoutOpt = Annotated[
    float,
    typer.Option("--timeout", min=0.1, help="Seconds allowed for each remote document."),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace a research.md edited by hand (a copy is kept)."),
]


def research(
    name: NameArg,
    openapi: OpenApiOpt,
    allow_remote: AllowRemoteOpt = False,
    system_name: SystemNameOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_MIB,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    force: ForceOpt = False,
) -> None:
    """Read an external system's OpenAPI document into research.md and the interview."""
    from interlock.research.integration import research_integration

    root = require_root(Path.cwd())
    result = research_integration(
        root,
        name,
        openapi,
        allow_remote=allow_remote,
        system_name=system_name,
        max_bytes=max_size * 1024 * 1024,
        timeout=timeout,
        force=force,
    )
    _report(result, root, name)


def _report(result: ResearchResult, root: Path, name: str) -> None:
    from interlock.research.constraints import counted

    facts, prefill, written = result.research, result.prefill, result.written
    typer.echo(
        f"read      {result.document.shown} ({result.document.label}): "
        f"{counted(len(facts.operations), 'operation')}, "
        f"{counted(len(facts.webhooks), 'webhook')}, "
        f"{counted(len(facts.auth), 'security scheme')}"
    )
    for path in written.written:
        typer.echo(f"wrote     {path.relative_to(root)}")
    for path in written.unchanged:
        typer.echo(f"unchanged {path.relative_to(root)}")
    for path in written.kept:
        typer.echo(f"kept your edited copy as {path.relative_to(root)}")
    answers = result.answers.relative_to(root)
    if prefill.answered:
        typer.echo(f"answered  {', '.join(prefill.answered)} in {answers}")
    if prefill.current:
        typer.echo(f"unchanged {', '.join(prefill.current)} in {answers}")
    for question_id in prefill.kept:
        typer.echo(f"kept      {question_id}: answered by a person, not replaced")
    for question_id, reason in prefill.passed:
        typer.echo(f"skipped   {question_id}: {reason}")
    if facts.unresolved:
        typer.echo(
            f"{counted(len(facts.unresolved), 'reference')} not followed; "
            f"they are listed in {result.note.relative_to(root)}"
        )
    typer.echo(f"Next: interlock interview {name} asks what the document could not answer.")
