"""Rendering: the integration model into Markdown documents, written without losing edits."""
