"""The spec validator: rule registry, presets, config, runner and scores."""
