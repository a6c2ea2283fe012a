"""Whatever people type, the documents keep their headings and their table shapes.

The order-service answers are rewritten so that every typed text (text answers, list
items, system names and owners, a skipped question's owner and reason, the author)
carries an arbitrary string, and the documents are
rendered and parsed back. Their headings must be exactly those of the same interview
with a plain word in that place, and every table row must have its header's cells.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.documents.model import Document
from interlock.documents.parser import parse_document
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.interview.values import entity_key
from interlock.render.documents import DOCUMENTS, render_documents
from interlock.render.markdown_escape import normalise_text

MARKER = "Zq"
"""The plain word the baseline uses where the arbitrary text goes."""

# Random Unicode rarely builds Markdown or template syntax; this alphabet builds little
# else, so both are drawn from.
MARKUP = st.lists(
    st.sampled_from([*"#|-*_`[]()<>!&{}%\\\n\r\t =+.1:~é", "{{ 7*7 }}", "{% raw %}", "---"]),
    max_size=20,
).map("".join)
ANSWER_TEXT = st.text(max_size=40) | MARKUP


def _rewrite(values: dict[str, Any], bank: Bank, text: str) -> dict[str, Any]:
    """Return ``values`` with ``text`` in every typed text, keeping the structure."""
    kinds = {question.id: question.kind for question in bank.questions}
    systems = values["systems"]
    keys = {
        entity_key(record["name"]): entity_key(f"{text} {index}")
        for index, record in enumerate(systems)
    }
    rewritten: dict[str, Any] = {
        "systems": [
            {**record, "name": f"{text} {index}", "owner": text}
            for index, record in enumerate(systems)
        ]
    }
    for answer_id, value in values.items():
        if answer_id == "systems":
            continue
        base, _, key = answer_id.partition("@")
        new_id = f"{base}@{keys[key]}" if key else answer_id
        kind = kinds[base]
        if kind == "text":
            value = f"{text}\n{text} more"
        elif kind == "list":
            value = [f"{text} {index}" for index, _ in enumerate(value)]
        rewritten[new_id] = value
    return rewritten


def _headings(doc: Document) -> list[tuple[int, str]]:
    return [(section.level, section.title) for section in doc.walk_sections()]


def _documents(
    make_sheet: Callable[..., AnswerSheet], bank: Bank, values: dict[str, Any], text: str
) -> dict[str, Document]:
    sheet = make_sheet(values)
    # A skipped question's owner and reason are typed text too, shown in a list item.
    stripe = entity_key(values["systems"][0]["name"])
    sheet = Engine(bank).skip(sheet, f"external.auth@{stripe}", reason=text, owner=text)
    rendered = render_documents(sheet, bank, author=text or "Dana Ortiz")
    return {
        name: parse_document(text, path=Path("specs/order-service") / name)
        for name, text in rendered.items()
    }


@pytest.fixture
def baseline(
    make_sheet: Callable[..., AnswerSheet], bank: Bank, order_answers: dict[str, Any]
) -> dict[str, list[tuple[int, str]]]:
    """The headings of each document with the plain marker in place of the text."""
    documents = _documents(make_sheet, bank, _rewrite(order_answers, bank, MARKER), MARKER)
    return {name: _headings(doc) for name, doc in documents.items()}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=ANSWER_TEXT)
def test_any_answer_text_keeps_headings_and_table_shapes(
    text: str,
    make_sheet: Callable[..., AnswerSheet],
    bank: Bank,
    order_answers: dict[str, Any],
    baseline: dict[str, list[tuple[int, str]]],
) -> None:
    documents = _documents(make_sheet, bank, _rewrite(order_answers, bank, text), text)
    assert set(documents) == {document.file for document in DOCUMENTS}
    shown = normalise_text(text)
    for name, doc in documents.items():
        expected = [
            (level, " ".join(title.replace(MARKER, shown).split()))
            for level, title in baseline[name]
        ]
        assert _headings(doc) == expected, name
        for table in doc.tables:
            width = table.header.source_cells
            assert [row.source_cells for row in table.rows] == [width] * len(table.rows), (
                f"{name}:{table.line}"
            )
        # The diagrams are the only code blocks: answer text never opens one.
        assert all(block.info in ("text", "mermaid") for block in doc.code_blocks), name
        if doc.front_matter is not None:
            assert doc.front_matter.error is None
