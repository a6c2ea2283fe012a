"""Compare CommonMark parsers on the seed integration-spec template.

Prints milliseconds per parse for pyromark (the parser Interlock uses) and, when it is
installed, markdown-it-py. Run: ``.venv/bin/python benchmarks/parsers.py [FILE]``.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

import pyromark

from interlock.documents.parser import parse_document

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _sample() -> tuple[str, str]:
    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
        return path.name, path.read_text(encoding="utf-8")
    candidates = sorted(SEED.glob("004_*"))
    if candidates:
        return candidates[0].name, candidates[0].read_text(encoding="utf-8")
    fixture = Path(__file__).resolve().parents[1] / "examples" / "workspace" / "specs"
    first = sorted(fixture.rglob("*.md"))[0]
    return first.name, first.read_text(encoding="utf-8")


def _per_call_ms(function: object, number: int) -> float:
    timer = timeit.Timer(function)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number * 1000


def main() -> None:
    name, text = _sample()
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
    print(f"document: {name}, {len(text.encode()):,} bytes")
    events = _per_call_ms(lambda: list(pyromark.events_with_range(text, options=options)), 200)
    print(f"pyromark events:           {events:7.3f} ms")
    whole = _per_call_ms(lambda: parse_document(text, path=Path(name)), 200)
    print(f"interlock parse_document:  {whole:7.3f} ms (front matter, sections, tables, ...)")
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        print("markdown-it-py:            not installed (pip install markdown-it-py to compare)")
        return
    parser = MarkdownIt("commonmark").enable("table")
    print(f"markdown-it-py tokens:     {_per_call_ms(lambda: parser.parse(text), 20):7.3f} ms")


if __name__ == "__main__":
    main()
