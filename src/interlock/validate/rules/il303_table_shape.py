"""A table row with more or fewer cells than its header.

Markdown renderers quietly pad a short row with empty cells and drop the extra cells of
a long one, so a value written in the wrong column, or lost, is easy to miss in review.
Each row whose source line has a different number of cells from the header is reported
at that line with both counts. A ``|`` inside inline code or escaped as ``\\|`` does not
start a cell.

Fails::

    | Method | Endpoint     | Purpose        |
    | ------ | ------------ | -------------- |
    | POST   | /v1/payments | Create payment | 201 |
    | GET    | /v1/payments/{id} |

Passes::

    | Method | Endpoint          | Purpose        |
    | ------ | ----------------- | -------------- |
    | POST   | /v1/payments      | Create payment |
    | GET    | /v1/payments/{id} | Read payment   |
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document
from interlock.model.finding import Problem, Severity

ID = "IL303"
NAME = "table-shape"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {}
FIX = "give the row exactly one cell per header column (escape a literal pipe as \\|)"
KINDS = None
SCOPE = "document"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    for table in doc.tables:
        expected = table.header.source_cells
        for row in table.rows:
            if row.source_cells != expected:
                source = doc.line(row.line)
                yield Problem(
                    row.line,
                    len(source) - len(source.lstrip()) + 1,
                    f"table row has {row.source_cells} cells but its header has {expected}",
                )
