import pytest

from interlock.validate.rules._text_scan import code_spans, in_code_span, locate


def test_locate_gives_each_match_its_line_and_column() -> None:
    text = "first\nsecond TODO\n\nfourth TODO and TBD\n"
    matches = [(text.index("TODO"), "a"), (text.rindex("TODO"), "b"), (text.index("TBD"), "c")]

    assert list(locate(text, matches)) == [
        (13, 2, 7, "a"),
        (26, 4, 7, "b"),
        (35, 4, 16, "c"),
    ]


def test_locate_places_matches_on_the_first_line_and_at_line_starts() -> None:
    text = "TODO\nTODO\n"

    assert list(locate(text, [(0, "x"), (5, "y")])) == [(0, 1, 0, "x"), (5, 2, 0, "y")]


def test_locate_yields_nothing_without_matches() -> None:
    assert list(locate("some text\n", [])) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("no code here", []),
        ("a `b` c", [(2, 5)]),
        ("`a` and `b`", [(0, 3), (8, 11)]),
        ("``a ` b`` c", [(0, 9)]),
        ("an ` unclosed run", []),
        ("` `` `", [(0, 6)]),
        ("`` a ` b", []),
    ],
    ids=["none", "one", "two", "double-ticks-hold-single", "unclosed", "outer-pair", "no-match"],
)
def test_code_spans_pair_runs_of_equal_length(source: str, expected: list[tuple[int, int]]) -> None:
    assert code_spans(source) == expected


def test_code_spans_reads_many_unmatched_runs() -> None:
    source = "".join("`" * length + " x " for length in range(1, 2000))

    assert code_spans(source) == []


@pytest.mark.parametrize(
    ("column", "inside"),
    [(0, False), (2, True), (4, True), (5, False), (9, False)],
    ids=["before", "opening-tick", "closing-tick", "just-after", "end"],
)
def test_in_code_span_tells_code_from_text(column: int, inside: bool) -> None:
    assert in_code_span("a `b` c d e", 1, column, {}) is inside


def test_in_code_span_reads_a_line_once_and_caches_its_spans() -> None:
    spans: dict[int, list[tuple[int, int]]] = {}

    assert in_code_span("x `y`", 3, 3, spans)
    assert spans == {3: [(2, 5)]}
    # A later question about line 3 uses the cache, whatever text is passed.
    assert in_code_span("`" * 5, 3, 3, spans)


def test_in_code_span_skips_lines_without_backticks() -> None:
    spans: dict[int, list[tuple[int, int]]] = {}

    assert not in_code_span("plain text", 1, 2, spans)
    assert spans == {}
