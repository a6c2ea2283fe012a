"""Reading front matter fields, for the metadata rules that check them.

The required-field, field-format and approval rules each read the fields of front
matter that parsed (a missing or broken block is reported by other rules), agree on
what an empty value is, and report a field at the column where its line's text starts.
"""

from __future__ import annotations

from typing import Any

from interlock.documents.model import Document, FrontMatter


def parsed(doc: Document) -> FrontMatter | None:
    """Return the document's front matter, or ``None`` when it has none that parsed."""
    front_matter = doc.front_matter
    if front_matter is None or front_matter.error is not None:
        return None
    return front_matter


def is_empty(value: Any) -> bool:
    """Return whether a field's value states nothing: null, blank text or an empty list."""
    if value is None:
        return True
    if isinstance(value, list):
        return not value
    return isinstance(value, str) and not value.strip()


def text_column(text: str) -> int:
    """Return the 1-based column where the line's text starts, after its indent."""
    return len(text) - len(text.lstrip()) + 1
