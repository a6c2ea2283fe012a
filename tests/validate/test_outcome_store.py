"""The table a run keeps its outcomes in gives back exactly what was put in it."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.documents.model import DocumentKind
from interlock.documents.suppressions import Suppressions
from interlock.model.finding import Family, Finding, Severity
from interlock.validate.outcome import FileOutcome
from interlock.validate.store import OutcomeStore, checked
from interlock.workspace.index import Link, SpecEntry

# Display paths as file systems give them: any text, and names that are not UTF-8
# (decoded with surrogate escapes).
_PATHS = st.one_of(
    st.text(string.ascii_letters + "/._-", min_size=1, max_size=30),
    st.text(min_size=1, max_size=20).filter(lambda text: "\0" not in text),
    st.binary(min_size=1, max_size=12).map(lambda raw: raw.decode("utf-8", "surrogateescape")),
)
_FINDING_FIELDS = st.tuples(
    st.integers(1, 10_000),
    st.integers(1, 500),
    st.sampled_from(["IL201", "IL206", "IL501", "X999"]),
    st.sampled_from(["placeholder", "open-question", "secret", "custom"]),
    st.sampled_from([Severity.ERROR, Severity.WARNING, Severity.INFO]),
    st.text(max_size=60),
    st.text(max_size=20),
    st.sampled_from(list(Family)),
)
_LINKS = st.lists(
    st.builds(
        Link,
        st.sampled_from(["parent", "dependencies", "related"]),
        st.text(min_size=1),
        st.integers(1, 50),
    ),
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(
    path=_PATHS,
    fields=st.lists(_FINDING_FIELDS, max_size=12),
    spec_id=st.none() | st.text(min_size=1, max_size=30),
    links=_LINKS,
    suppressed=st.lists(
        st.tuples(st.integers(1, 99), st.sets(st.sampled_from(["a", "b"]), min_size=1))
    ),
)
def test_an_outcome_comes_back_as_it_went_in(
    path: str,
    fields: list[tuple[int, int, str, str, Severity, str, str, Family]],
    spec_id: str | None,
    links: list[Link],
    suppressed: list[tuple[int, set[str]]],
) -> None:
    findings = tuple(sorted(Finding(path, *each) for each in fields))
    entry = SpecEntry(path, spec_id, 2, DocumentKind.INTEGRATION_SPEC, tuple(links))
    suppressions = Suppressions(tuple((line, frozenset(names)) for line, names in suppressed))
    outcome = FileOutcome(
        path, "integration-spec", findings, entry, suppressions, "d1", (1, 2, 3, 4)
    )
    store = OutcomeStore.temporary_store()
    try:
        ready = checked(outcome)
        store.put([ready], written_ns=99)
        row = store.row(path)
        assert row is not None
        assert (row.digest, row.stamp, row.written_ns, row.kind) == (
            "d1",
            (1, 2, 3, 4),
            99,
            outcome.kind,
        )
        assert row.decoded_findings() == findings
        assert row.decoded_suppressions() == suppressions
        facts = row.facts()
        assert facts == ready.facts
        assert facts.entry == entry
    finally:
        store.close()


def test_a_row_signed_with_another_key_is_not_believed(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.sqlite"
    outcome = FileOutcome("a.md", "speckit", (), None, Suppressions(), "d", (1, 2, 3, 4))
    mine = OutcomeStore.open(path, b"k" * 32, root="/w", version="1")
    mine.put([checked(outcome)], written_ns=5)
    assert mine.row("a.md") is not None
    assert mine.row("b.md") is None
    mine.close()
    theirs = OutcomeStore.open(path, b"x" * 32, root="/w", version="1")
    assert theirs.row("a.md") is None
    theirs.close()
    other_version = OutcomeStore.open(path, b"k" * 32, root="/w", version="2")
    assert other_version.row("a.md") is None, "another version starts afresh"
    other_version.close()


def test_a_temporary_table_is_removed_when_closed() -> None:
    store = OutcomeStore.temporary_store()
    assert store.temporary is not None
    folder = store.temporary
    assert folder.is_dir()
    store.close()
    assert not folder.exists()
