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
    # Imported here, so that `interlock --help` starts fast: the SDK takes half a second.
    from interlock.folders.workspace import WorkspaceFolder
    from interlock.mcp_server.server import build_server

    folder = WorkspaceFolder.find(workspace.resolve() if workspace else Path.cwd())
    build_server(folder, read_only=read_only).run("stdio")


__all__ = ["mcp"]
