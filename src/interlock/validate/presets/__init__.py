"""Package data: the draft, review and production presets."""
