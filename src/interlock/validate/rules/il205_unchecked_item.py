"""An open task-list item.

Checklists in a spec, such as the Review Checklist, record what has been verified. Each
``- [ ]`` item still open is reported at its ``[ ]``, so a reviewer sees what nobody has
confirmed yet. ``sections`` limits the rule to the items under the sections with those
titles, and their subsections (compared without case, leading numbers such as ``13.``
or emphasis); an empty list checks the whole document.

Fails::

    ### Review Checklist

    - [x] Integration goals are clearly defined and measurable
    - [ ] Security requirements are specified

Passes::

    ### Review Checklist

    - [x] Integration goals are clearly defined and measurable
    - [x] Security requirements are specified
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, normalise_title
from interlock.model.finding import Problem, Severity

ID = "IL205"
NAME = "unchecked-item"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.INFO
OPTIONS: Mapping[str, Any] = {"sections": []}
FIX = "do the item and check it with [x], or remove it if it does not apply"
KINDS = None
SCOPE = "document"

_BOX = re.compile(r"\[[ \t]\]")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")
_SHOWN = 60


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    open_tasks = [task for task in doc.tasks if not task.checked]
    if not open_tasks:
        return
    wanted = {_title_key(title) for title in options["sections"]}
    ranges = [
        (section.line, section.end_line)
        for section in (doc.walk_sections() if wanted else ())
        if _title_key(section.title) in wanted
    ]
    for task in open_tasks:
        if wanted and not any(start <= task.line <= end for start, end in ranges):
            continue
        box = _BOX.search(doc.line(task.line))
        text = task.text if len(task.text) <= _SHOWN else task.text[: _SHOWN - 1] + "…"
        yield Problem(task.line, box.start() + 1 if box else 1, f"open checklist item: {text!r}")


def _title_key(title: str) -> str:
    """Fold a title for comparison, without its leading number or emphasis."""
    return normalise_title(_NUMBER.sub("", title.strip(" *_"))).strip(" *_")
