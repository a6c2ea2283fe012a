"""Package data: question banks (YAML)."""
