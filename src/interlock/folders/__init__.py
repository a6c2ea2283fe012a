"""The folders every front end works on: a workspace, and each integration in it.

:class:`~interlock.folders.workspace.WorkspaceFolder` finds or creates a workspace and
lists its integrations; :class:`~interlock.folders.integration.IntegrationFolder` owns
one integration's folder (``specs/NAME/``): its answers and their lock, its bank and
engine, its model, documents, research note, checklist and status. The command line
calls them, and so will the MCP server and the team server: none rebuilds the chain
from answers to documents itself.
"""
