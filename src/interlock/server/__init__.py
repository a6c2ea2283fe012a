"""The team server: ``interlock serve``."""
