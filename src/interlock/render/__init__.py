"""Rendering: answers into the integration model, the model into Markdown documents."""
