"""Workspaces: their layout, finding specs, the id index, the traceability graph, the
integration checklist and who is working."""
