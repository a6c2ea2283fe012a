"""Open questions a spec still carries.

A spec is not ready while it still has undecided points, and a reviewer has to see each
one. The rule reports two things:

- a marker left in the text: ``TBD``, ``TODO``, ``FIXME``, ``???``, ``to be decided``,
  ``to be determined`` or ``not covered by the interview`` (what a generated document
  says where the interview did not ask; the ``markers`` option), front matter
  included. Markers match as whole words, so ``TODOS`` and ``stbd`` pass; upper-case
  markers match only in upper case, the others in any case, with their words on one
  line and one space apart. Code blocks, inline code and HTML comments are not
  searched;
- every item of a list, task items included whether checked or not, under a section
  whose title names open questions (``## Open Questions``,
  ``## 12. Open Integration Questions``), at its line and with its text. Generated
  documents gather every unanswered question there. Sub-items are details of the
  question above them, and an item that says ``None`` or ``No open questions`` is not
  a question.

Fails::

    **Rate limits**: TBD with the vendor

    ## Open Questions

    - [ ] Which region hosts the sandbox?

Passes::

    **Rate limits**: 100 requests per second per API key

    ## Open Questions

    - None: every question was answered in the interview.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from interlock.documents.model import Document, Section, normalise_title
from interlock.model.finding import Problem, Severity
from interlock.model.integration import NOT_COVERED
from interlock.validate.rule import OptionProblem
from interlock.validate.rules import _option_checks, _text_scan

ID = "IL206"
NAME = "open-question"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {
    "markers": [
        "TBD",
        "TODO",
        "FIXME",
        "???",
        "to be decided",
        "to be determined",
        NOT_COVERED,
    ],
}
FIX = "decide the question and write the answer into the spec, then remove the marker or item"
KINDS = None
SCOPE = "document"

_QUESTIONS_TITLE = re.compile(r"\bopen\b(?:\s+\S+){0,2}?\s+questions?\b")
_ITEM = re.compile(r"^( *)(?:[-+*]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]*)?(.*))?$")
_NOT_A_QUESTION = re.compile(
    r"^(?:none|n/a|nothing|no (?:open |outstanding |remaining |unresolved )?"
    r"(?:integration )?questions?)\b",
    re.IGNORECASE,
)
_SHOWN = 60
_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report empty markers, which every line would contain."""
    yield from _option_checks.blank_problems("markers", options["markers"])


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    items = list(_question_items(doc))
    item_lines = {problem.line for problem in items}
    problems = [
        problem for problem in _markers(doc, options["markers"]) if problem.line not in item_lines
    ]
    problems.extend(items)
    problems.sort(key=lambda problem: (problem.line, problem.column))
    yield from problems


def _markers(doc: Document, markers: Sequence[str]) -> Iterator[Problem]:
    text = doc.text
    comment_starts = {comment.line for comment in doc.comments}
    spans: dict[int, list[tuple[int, int]]] = {}
    for start, line, column, marker in _text_scan.locate(text, _find_markers(text, markers)):
        if line in doc.code_lines or _in_comment(text, start, line, comment_starts):
            continue
        if _text_scan.in_code_span(doc.lines[line - 1], line, column, spans):
            continue
        yield Problem(line, column + 1, f"open marker {marker!r} left in the text")


def _find_markers(text: str, markers: Sequence[str]) -> list[tuple[int, str]]:
    """Return the position and text of every marker, in order, without overlaps.

    Substring search is an order of magnitude faster than a regular expression here.
    Markers with lower case are searched in a lower-cased copy, whose offsets match the
    text's as long as lower-casing keeps its length; a few characters such as 'İ' do
    not, and then only ASCII letters are lowered.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_ASCII_LOWER)
    found: list[tuple[int, str]] = []
    for marker in markers:
        if not marker:
            continue
        exact = marker.isupper()
        haystack, needle = (text, marker) if exact else (lowered, marker.lower())
        start_alnum, end_alnum = needle[0].isalnum(), needle[-1].isalnum()
        position = haystack.find(needle)
        while position != -1:
            end = position + len(needle)
            if not (
                (start_alnum and position and haystack[position - 1] in _WORD)
                or (end_alnum and haystack[end : end + 1] in _WORD)
            ):
                found.append((position, text[position:end]))
            position = haystack.find(needle, end)
    found.sort()
    kept: list[tuple[int, str]] = []
    reached = 0
    for position, marker in found:
        if position >= reached:
            kept.append((position, marker))
            reached = position + len(marker)
    return kept


def _in_comment(text: str, offset: int, line: int, comment_starts: set[int]) -> bool:
    """Return whether ``offset`` lies inside an HTML comment the parser found."""
    if not comment_starts:
        return False
    opening = text.rfind("<!--", 0, offset)
    if opening == -1 or text.find("-->", opening + 4, offset) != -1:
        return False
    return line - text.count("\n", opening, offset) in comment_starts


def _question_items(doc: Document) -> Iterator[Problem]:
    """Yield each top-level list item under the open-questions sections."""
    covered = 0
    for section in doc.walk_sections():
        if section.line <= covered or not _names_open_questions(section):
            continue
        covered = section.end_line
        yield from _section_items(doc, section)


def _names_open_questions(section: Section) -> bool:
    title = section.title.casefold()
    return "question" in title and _QUESTIONS_TITLE.search(normalise_title(title)) is not None


def _section_items(doc: Document, section: Section) -> Iterator[Problem]:
    hidden = {
        number
        for comment in doc.comments
        if comment.end_line > comment.line
        for number in range(comment.line, comment.end_line + 1)
    }
    base: int | None = None
    for number in range(section.line + 1, section.end_line + 1):
        source = doc.line(number).expandtabs(4)
        if not source.strip() or number in doc.code_lines or number in hidden:
            continue
        item = _ITEM.match(source)
        if item is None:
            if not source.startswith(" "):
                base = None
            continue
        indent = len(item.group(1))
        if base is not None and indent > base:
            continue
        base = indent
        text = (item.group(2) or "").strip()
        if not text or _NOT_A_QUESTION.match(text.strip("*_ ")):
            continue
        shown = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
        yield Problem(number, indent + 1, f"open question: {shown!r}")
