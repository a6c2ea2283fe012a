"""The order-service interview renders exactly the reviewed documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.render.documents import DOCUMENTS, DocumentType, render_documents

EXPECTED = Path(__file__).parent / "golden" / "order-service" / "expected"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.file)
def test_order_service_documents_match_the_golden_files(
    document: DocumentType,
    order_sheet: AnswerSheet,
    bank: Bank,
    author: str,
    check_golden: Callable[[Path, str], None],
) -> None:
    documents = render_documents(order_sheet, bank, author=author)
    check_golden(EXPECTED / document.file, documents[document.file])


def test_rendering_twice_gives_the_same_bytes(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    first = render_documents(order_sheet, bank, author=author)
    assert render_documents(order_sheet, bank, author=author) == first
