"""``interlock serve`` and ``interlock token``: the team server, and who may use it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.server.state import ServerState

LOOPBACK = ("127.0.0.1", "::1", "localhost")

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        help="The workspace to serve; the one found from the current folder if not given.",
        file_okay=False,
    ),
]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="INTERLOCK_DATABASE",
        help="Where the server keeps people, tokens, comments and the audit log: a "
        "SQLAlchemy URL (postgresql://user@host/db); .interlock/server.sqlite if not given.",
    ),
]


def _state(workspace: Path | None, database: str | None) -> tuple[Path, ServerState]:
    from interlock.server.state import ServerState, default_database_url
    from interlock.workspace.root import require_root

    root = require_root(workspace.resolve() if workspace else Path.cwd())
    return root, ServerState.open(database or default_database_url(root))


def serve(
    workspace: WorkspaceOpt = None,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on; loopback by default.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port.")] = 8000,
    database: DatabaseOpt = None,
) -> None:
    """Serve the workspace to the team: answer, review and approve in the browser."""
    import uvicorn

    from interlock.server.app import create_app

    root, state = _state(workspace, database)
    app = create_app(root, state)
    typer.echo(f"Serving {root} at http://{host}:{port}/ (Ctrl+C to stop).", err=True)
    if not state.tokens():
        typer.echo(
            "Nobody can sign in yet: create a token first, e.g.\n"
            "  interlock token create --name 'Ada Lovelace' --role admin",
            err=True,
        )
    if host not in LOOPBACK:
        typer.echo(
            f"Listening on {host}: put the server behind HTTPS (a reverse proxy) before "
            "people sign in over a network.",
            err=True,
        )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        state.close()


def create(
    name: Annotated[str, typer.Option("--name", help="Who the token is for.")],
    role: Annotated[str, typer.Option("--role", help="viewer, answerer, approver or admin.")],
    workspace: WorkspaceOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Create a token and print it, once: only its digest is kept."""
    from interlock.server.roles import Role

    try:
        chosen = Role.named(role)
    except ValueError as error:
        raise UsageError(str(error)) from None
    _, state = _state(workspace, database)
    try:
        issued = state.create_token(name, chosen)
    finally:
        state.close()
    typer.echo(issued.secret)
    typer.echo(
        f"Token {issued.id} for {issued.name} ({issued.role.label}). It is shown only now: "
        "hand it over, then sign in at the server's address with it.",
        err=True,
    )


def list_tokens(
    workspace: WorkspaceOpt = None,
    database: DatabaseOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the tokens: id, person, role, when last used, and whether revoked."""
    _, state = _state(workspace, database)
    try:
        entries = state.tokens()
    finally:
        state.close()
    if as_json:
        typer.echo(json.dumps([entry.to_dict() for entry in entries], indent=2))
        return
    if not entries:
        typer.echo("No tokens yet: interlock token create --name NAME --role ROLE")
    for entry in entries:
        used = entry.last_used_at.strftime("%Y-%m-%d %H:%M") if entry.last_used_at else "never"
        state_text = "revoked" if entry.revoked_at else "active"
        typer.echo(
            f"{entry.id:>4}  {entry.prefix}…  {entry.role.label:<8}  {state_text:<7}  "
            f"last used {used}  {entry.name}"
        )


def revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The id token list shows.")],
    workspace: WorkspaceOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Revoke a token: it, and every browser signed in with it, stops working."""
    _, state = _state(workspace, database)
    try:
        entry = state.revoke(token_id)
    finally:
        state.close()
    typer.echo(f"Revoked token {entry.id} of {entry.name}.")


__all__ = ["create", "list_tokens", "revoke", "serve"]
