"""The ``interlock`` command: registers each command, wrapped once for errors."""

from __future__ import annotations

import typer

from interlock import __version__
from interlock.cli.answers import answers
from interlock.cli.approve import approvals, approve
from interlock.cli.errors import handled
from interlock.cli.graph import graph
from interlock.cli.init import init
from interlock.cli.interview import interview
from interlock.cli.mcp import mcp
from interlock.cli.new import new
from interlock.cli.outcome import outcome
from interlock.cli.render import render
from interlock.cli.research import research
from interlock.cli.rules import rules
from interlock.cli.serve import create, list_tokens, revoke, serve
from interlock.cli.status import status
from interlock.cli.validate import validate

app = typer.Typer(
    name="interlock",
    help="Plan, specify and validate software integrations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"interlock {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Plan, specify and validate software integrations."""


app.command("init")(handled(init))
app.command("interview")(handled(interview))
app.command("answers")(handled(answers))
app.command("status")(handled(status))
app.command("research")(handled(research))
app.command("render")(handled(render))
app.command("outcome")(handled(outcome))
app.command("approve")(handled(approve))
app.command("approvals")(handled(approvals))
app.command("new")(handled(new))
app.command("graph")(handled(graph))
app.command("validate")(handled(validate))
app.command("rules")(handled(rules))
app.command("mcp")(handled(mcp))
app.command("serve")(handled(serve))

token_app = typer.Typer(
    name="token",
    help="Create, list and revoke the tokens people sign in to the team server with.",
    no_args_is_help=True,
)
token_app.command("create")(handled(create))
token_app.command("list")(handled(list_tokens))
token_app.command("revoke")(handled(revoke))
app.add_typer(token_app)


def main() -> None:
    """Run the command line."""
    app()


__all__ = [
    "app",
    "main",
]
