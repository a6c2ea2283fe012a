"""The writers: the rendered text, written as it goes, and few walks over a streamed run.

A large run reads every file's findings back from disk on each walk, so a writer must
take the run as a collection to walk (never to index) and walk it as few times as it
can. The JUnit and text writers are held byte for byte to the whole-document reports
they replaced (``support.report_reference``), on generated runs full of hostile text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.model.finding import Family, Finding, Severity
from interlock.report import FORMATS, WRITERS, junit, text
from interlock.validate.result import FileResult, RunResult, Score, StreamedFiles
from support.report_reference import reference_junit, reference_text

CheckGolden = Callable[[str, str], None]

EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "github": "github.txt",
}


def _written(fmt: str, result: RunResult, *, color: bool = False) -> str:
    stream = io.StringIO()
    WRITERS[fmt](result, stream, color=color)
    return stream.getvalue()


def test_every_format_but_markdown_writes_as_it_goes() -> None:
    assert list(WRITERS) == [fmt for fmt in FORMATS if fmt != "markdown"]


@pytest.mark.parametrize("fmt", list(EXTENSIONS), ids=list(EXTENSIONS))
def test_writing_gives_the_rendered_golden_text(
    fmt: str, run: RunResult, empty_run: RunResult, check_golden: CheckGolden
) -> None:
    for name, result in (("run", run), ("empty", empty_run)):
        written = _written(fmt, result)
        assert written == FORMATS[fmt](result)
        check_golden(f"{name}.{EXTENSIONS[fmt]}", written)


def test_writing_coloured_text_gives_the_rendered_golden_text(
    run: RunResult, check_golden: CheckGolden
) -> None:
    written = _written("text", run, color=True)
    assert written == text.render(run, color=True)
    check_golden("run.color.txt", written)


_HOSTILE = "&<>\"' \t\n\r\x00\x07\x1b\x7f\x85\x9b\u2028\u202e\ufffe\ud800]é期✓%:,"
"""Characters some format must escape: XML's, control characters, bidi overrides."""
_TEXT = st.text(st.sampled_from(_HOSTILE) | st.characters(), max_size=12)
_CODES = ("IL103", "IL203", "IL201", "IL402", "IL501", "IL999")
"""Two codes the stand-in registry knows (see conftest.py) and some it does not."""
_SEVERITIES = st.sampled_from((Severity.ERROR, Severity.WARNING, Severity.INFO))
_SCORES = st.integers(0, 1000).map(lambda tenths: tenths / 10)


@st.composite
def _findings(draw: st.DrawFn, path: str) -> tuple[Finding, ...]:
    found = []
    for _ in range(draw(st.integers(0, 6))):
        code = draw(st.sampled_from(_CODES))
        found.append(
            Finding(
                path=path,
                line=draw(st.integers(1, 40)),
                column=draw(st.integers(1, 9)),
                code=code,
                rule=draw(st.sampled_from(("placeholder", "required-field")) | _TEXT),
                severity=draw(_SEVERITIES),
                message=draw(_TEXT),
                fix=draw(st.just("") | _TEXT),
                family=Family.of_code(code),
            )
        )
    return tuple(sorted(found))


@st.composite
def _runs(draw: st.DrawFn) -> RunResult:
    files = tuple(
        FileResult(
            path=path,
            kind=draw(st.sampled_from(("integration-spec", "workflow-note")) | _TEXT),
            findings=draw(_findings(path)),
            score=Score(draw(_SCORES), {}),
        )
        for path in draw(st.lists(_TEXT, unique=True, max_size=5))
    )
    return RunResult(
        files=files,
        score=Score(draw(_SCORES), {}),
        preset="review",
        fail_on=draw(_SEVERITIES),
        min_score=draw(st.none() | _SCORES),
        version="9.9.9",
    )


# The stand-in registry (an autouse fixture) is the same for every example.
_GENERATED = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_GENERATED
@given(result=_runs())
def test_junit_writes_what_the_whole_tree_gave(result: RunResult) -> None:
    stream = io.StringIO()
    junit.write(result, stream)
    assert stream.getvalue() == reference_junit(result)


@_GENERATED
@given(result=_runs(), color=st.booleans())
def test_text_writes_what_the_whole_list_of_lines_gave(result: RunResult, color: bool) -> None:
    stream = io.StringIO()
    text.write(result, stream, color=color)
    assert stream.getvalue() == reference_text(result, color=color)


class _CountedFiles(StreamedFiles):
    """Files served the way a streamed run serves them, counting every walk."""

    def __init__(self, files: Iterable[FileResult]) -> None:
        self._files = tuple(files)
        self.file_walks = 0
        self.finding_walks = 0

    def __iter__(self) -> Iterator[FileResult]:
        self.file_walks += 1
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def ordered_findings(self) -> Iterator[Finding]:
        self.finding_walks += 1
        return iter(sorted(finding for file in self._files for finding in file.findings))


def _streamed(held: RunResult) -> tuple[RunResult, _CountedFiles]:
    """Return ``held`` as a streamed run, with counts given as a streamed run has them."""
    files = _CountedFiles(held.files)
    return replace(held, files=files, counts=held.counts), files


MOST_WALKS = {
    "text": (1, 0),
    "json": (1, 1),
    "sarif": (0, 2),
    "junit": (2, 0),
    "github": (0, 1),
    "markdown": (2, 2),
}
"""The most walks each format may take over a streamed run's files and its findings.

JUnit walks the files twice because its root states the totals before any suite;
JSON and SARIF walk the findings twice (counts or rules first, then the items);
the run's counts by severity come with the run and cost no walk.
"""


@pytest.mark.parametrize("fmt", list(MOST_WALKS), ids=list(MOST_WALKS))
def test_a_streamed_run_is_walked_at_most_twice_and_reported_as_if_held(
    fmt: str, run: RunResult, empty_run: RunResult
) -> None:
    most_file_walks, most_finding_walks = MOST_WALKS[fmt]
    for held in (run, empty_run):
        streamed, files = _streamed(held)
        if fmt in WRITERS:
            assert _written(fmt, streamed) == _written(fmt, held)
        else:
            assert FORMATS[fmt](streamed) == FORMATS[fmt](held)
        assert files.file_walks <= most_file_walks <= 2
        assert files.finding_walks <= most_finding_walks <= 2


def test_every_format_has_a_most_walks_entry() -> None:
    assert list(MOST_WALKS) == list(FORMATS)
