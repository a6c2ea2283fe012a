"""The command line: thin Typer adapters over the core."""
