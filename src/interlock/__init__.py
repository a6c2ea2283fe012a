"""Interlock: plan, specify and validate software integrations."""

__version__ = "0.1.0"

__all__ = ["__version__"]
