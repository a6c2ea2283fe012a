"""HTML in a document's descriptions, turned into the Markdown the note quotes.

OpenAPI descriptions are CommonMark, but vendors often write HTML in them (``<p>``,
``<a href>``, ``<code>``). Copied as it is, the note would show tags; so text with a
tag is converted by `markdownify <https://github.com/matthewwithanm/python-markdownify>`_,
and the note then quotes the Markdown like any other text of the document: a ``<h1>``
becomes ``# Title``, shown literally, never a heading of the note. Text without a
tag is returned untouched, which keeps the common case fast.

Only the elements of HTML count as tags. Vendors write placeholders in angle
brackets (Stripe's ``Authorization: Basic <api_key>``); those are text, kept as
written, never parsed as an element and dropped.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

__all__ = ["prose"]

# The elements of HTML (the living standard's, with the old ones vendors still write).
_ELEMENTS = frozenset(
    """a abbr acronym address area article aside audio b base bdi bdo big blockquote body
    br button canvas caption center cite code col colgroup data datalist dd del details dfn
    dialog dir div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5
    h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map
    mark menu meta meter nav noscript object ol optgroup option output p param picture pre
    progress q rp rt ruby s samp script search section select slot small source span strike
    strong style sub summary sup table tbody td template textarea tfoot th thead time title
    tr track tt u ul var video wbr""".split()  # noqa: SIM905 (a list of 120 words reads best as words)
)
# A start or end tag, or a comment: what tells HTML from Markdown's `a < b`.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?:\s[^<>]*)?/?>|<!--")
# A ``<`` that starts no element of HTML, to be kept as text.
_NOT_A_TAG = re.compile(
    r"<(?!!--|/?(?:" + "|".join(sorted(_ELEMENTS, key=len, reverse=True)) + r")[\s/>])",
    re.IGNORECASE,
)


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
    if "<" not in text or not any(_is_element(tag) for tag in _TAG.finditer(text)):
        return text
    soup = BeautifulSoup(_NOT_A_TAG.sub("&lt;", text), "html.parser")
    for hidden in soup(_HIDDEN):  # what a browser never shows is not the vendor's text
        hidden.decompose()
    return str(_CONVERTER.convert_soup(soup)).strip()


def _is_element(tag: re.Match[str]) -> bool:
    name = tag.group(2)
    return name is None or name.lower() in _ELEMENTS
