"""HTML in a document's descriptions, turned into the Markdown the note quotes.

OpenAPI descriptions are CommonMark, but vendors often write HTML in them (``<p>``,
``<a href>``, ``<code>``). Copied as it is, the note would show tags; so text with a
tag is converted by `markdownify <https://github.com/matthewwithanm/python-markdownify>`_,
and the note then quotes the Markdown like any other text of the document: a ``<h1>``
becomes ``# Title``, shown literally, never a heading of the note. Text without a
tag is returned untouched, which keeps the common case fast.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

__all__ = ["prose"]

# A start or end tag of HTML, or a comment: what tells HTML from Markdown's `a < b`.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")


# The note escapes the result as literal text, so escapes added here would show.
_CONVERTER = MarkdownConverter(
    heading_style="ATX",
    bullets="-",
    autolinks=True,
    escape_asterisks=False,
    escape_underscores=False,
    escape_misc=False,
    strip=["img"],
)
_HIDDEN = ("script", "style", "template")


def prose(value: Any) -> str:
    """Return a description of the document as Markdown text; ``""`` for a missing one."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if "<" not in text or not _TAG.search(text):
        return text
    soup = BeautifulSoup(text, "html.parser")
    for hidden in soup(_HIDDEN):  # what a browser never shows is not the vendor's text
        hidden.decompose()
    return str(_CONVERTER.convert_soup(soup)).strip()
