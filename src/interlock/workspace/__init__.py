"""Workspaces: finding specs, the id index and the traceability graph."""
