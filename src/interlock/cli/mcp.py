"""``interlock mcp``: serve the workspace to an AI coding agent over stdio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def mcp(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            help="The workspace to serve; the one found from the current folder if not given.",
            file_okay=False,
        ),
    ] = None,
    read_only: Annotated[
        bool,
        typer.Option("--read-only", help="Refuse every tool that writes to the workspace."),
    ] = False,
) -> None:
    """Serve the interview, documents and validator to an AI agent (MCP over stdio)."""
    # Imported here, so that `interlock --help` starts fast: the SDK takes most of a
    # second. The core is loaded by the server at the first tool call.
    from interlock.mcp_server.server import build_server
    from interlock.workspace.root import require_root

    root = require_root(workspace.resolve() if workspace else Path.cwd())
    build_server(root, read_only=read_only).run("stdio")


__all__ = ["mcp"]
