"""Which environment a server serves, as its name, description or address says."""

from __future__ import annotations

import re

__all__ = ["environment_of"]

# Checked in this order: "sandbox" wins over "production" in "production-like sandbox".
_ENVIRONMENTS = (
    ("sandbox", re.compile(r"\bsandbox\b", re.IGNORECASE)),
    ("staging", re.compile(r"\b(staging|stage|pre-?prod\w*|pre-production)\b", re.IGNORECASE)),
    ("test", re.compile(r"\b(test|testing|uat|qa|demo)\b", re.IGNORECASE)),
    ("development", re.compile(r"\b(dev|development|local|localhost)\b", re.IGNORECASE)),
    ("mock", re.compile(r"\bmock\b", re.IGNORECASE)),
    ("production", re.compile(r"\b(prod|production|live)\b", re.IGNORECASE)),
)


def environment_of(text: str) -> str:
    """Return ``sandbox``, ``staging``, ``test``, ``development``, ``mock``,
    ``production``, or ``""`` when ``text`` names none of them."""
    return next((name for name, pattern in _ENVIRONMENTS if pattern.search(text)), "")
