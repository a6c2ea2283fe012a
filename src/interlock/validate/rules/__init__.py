"""Validator rules: one module per rule, discovered by the registry."""
