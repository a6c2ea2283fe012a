"""Run the validator: files in, a :class:`~interlock.validate.result.RunResult` out.

Each file is read, parsed and checked by the document rules on its own (in worker
processes for large runs), which yields a :class:`FileOutcome`: findings, the
document's id and links, and its suppressions. Outcomes are cached by content, config
and version. The workspace rules then run over every file's id and links at once.
A file that cannot be read is a finding; a rule that crashes is a finding too, so
one bad file never stops the run. A finding that another rule's finding on the same
line covers (``COVERS``, see :mod:`interlock.validate.rule`) is dropped.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
import weakref
from array import array
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from interlock import __version__
from interlock.documents.front_matter import split_front_matter
from interlock.documents.model import Document, DocumentKind
from interlock.documents.parser import parse_document
from interlock.documents.reader import (
    DEFAULT_MAX_BYTES,
    decode_text,
    read_bytes,
    read_with_status,
)
from interlock.documents.suppressions import Suppressions, find_suppressions
from interlock.errors import InputError
from interlock.interview.files import INTERVIEW_FILE
from interlock.model.finding import Family, Finding, Problem, Severity, masked
from interlock.validate.cache import open_cache, trusted
from interlock.validate.config import Config, RuleSetting, load_config
from interlock.validate.outcome import CacheHit, FileOutcome, Stamp, stamp_of
from interlock.validate.registry import Rule, all_rules
from interlock.validate.result import (
    REPORTED_SEVERITIES,
    FileResult,
    FileSummary,
    RunResult,
    StreamedFiles,
)
from interlock.validate.score import ScoreColumns
from interlock.validate.store import (
    Checked,
    FileFacts,
    OutcomeStore,
    StoredRow,
    StoreError,
    checked,
    facts_of,
)
from interlock.workspace.approvals import depends_on_record
from interlock.workspace.discovery import (
    display_path,
    find_specs,
    matches_any,
    relative_to_root,
)
from interlock.workspace.index import SpecEntry, Workspace, entry_from_front_matter, entry_of
from interlock.workspace.root import SPECS_DIR, WORKSPACE_DIR

UNREADABLE_KIND = "unreadable"
ANSWERS_KIND = "answers"
"""The kind reported for an interview's answers file, which only the secret rule reads."""
_SECRET_RULE = "secret"
_APPROVAL_RULE = "approval"
_PARALLEL_FROM = 200
_CHUNK = 64
_PLAN_BATCH = 2048
"""Files whose cached rows are read together, before their stamps are compared."""
_WRITE_BATCH = 256
"""Outcomes written to the store in one transaction."""
HELD_FINDINGS = 50_000
HELD_FILES = 10_000
"""A run with at most this many findings and files is handed back in memory (a few
tens of megabytes at most); a larger one is read back from its store as it is
reported."""


@dataclass(frozen=True, slots=True)
class ConfigRequest:
    """How to rebuild a :class:`Config` in a worker process (rules are modules)."""

    start: Path
    preset: str | None = None
    config_file: Path | None = None
    fail_on: Severity | None = None
    min_score: float | None = None

    def load(self) -> Config:
        """Load the config this request describes."""
        return load_config(
            self.start,
            preset=self.preset,
            config_file=self.config_file,
            fail_on=self.fail_on,
            min_score=self.min_score,
        )


def validate_paths(
    paths: Sequence[Path],
    request: ConfigRequest,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    cwd: Path | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Validate the spec files under ``paths`` and return every finding and score.

    Each file's outcome is written to a table (the cache, or the run's own temporary
    one) as soon as it is checked. A run with few files and findings is handed back in
    memory; a larger one is read back from the table file by file as the report is
    written, so memory does not grow with the findings. Call :meth:`RunResult.close`
    when done with a result (or let it be collected).

    Args:
        on_progress: called as ``on_progress(done, total)`` with how many of the
            requested files are done: once when they are found (those the cache
            answers count as done), then as each file, or each worker's batch, is
            checked.

    Raises:
        ConfigError: the configuration is invalid.
        UsageError: a path does not exist.
        StoreError: the run's table cannot be written (a full disk).
        InputError: a cached row signed with the key is damaged; it is dropped, so the
            next run checks its file afresh.
    """
    config = request.load()
    here = (cwd or Path.cwd()).resolve()
    found = find_specs(
        paths, root=config.root, include=config.include, exclude=config.exclude, answers=True
    )
    context = _context_files(config, paths, found)
    displays = [display_path(path, here) for path in found]
    # The paths as text (each path keeps its own): a hundred thousand Path objects
    # take several times the memory.
    files = [str(path) for path in found]
    del found
    cache = open_cache(config) if use_cache else None
    store = cache or _run_store()
    try:
        sheet, tasks = _plan(files, displays, config, store, cache is not None)
        del files, displays
        _check_tasks(tasks, sheet, config, request, jobs, store, on_progress)
        del tasks
        entries = [*sheet.entries(store), *_context_entries(context, here, config, cache)]
        _add_workspace_findings(sheet, entries, config, store)
        del entries
        result = sheet.result(config, store)
    except BaseException:
        store.close()
        raise
    if isinstance(result.files, StoredFiles):
        return result
    store.close()
    return result


def _context_files(config: Config, paths: Sequence[Path], files: Sequence[Path]) -> list[Path]:
    """Return the workspace's other specs, whose ids the requested files may link to.

    Validating one spec of a workspace (in pre-commit, say) must not report its links
    to the workspace's other specs as dangling, nor miss a duplicate id among them.
    """
    specs = config.root / SPECS_DIR
    if not (config.root / WORKSPACE_DIR).is_dir() or not specs.is_dir():
        return []
    for given in paths:
        folder = given.resolve()
        if folder == specs or folder in specs.parents:
            return []  # the request already holds every spec of the workspace
    requested = set(files)
    everything = find_specs(
        [specs], root=config.root, include=config.include, exclude=config.exclude
    )
    return [path for path in everything if path not in requested]


def check_file(
    path: Path, display: str, config: Config, cached_digest: str | None
) -> FileOutcome | CacheHit:
    """Check one file on its own; return only a :class:`CacheHit` when the content
    matches ``cached_digest``."""
    unreadable = config.setting("unreadable")
    max_bytes = _max_bytes(unreadable)
    try:
        data, status = read_with_status(path, max_bytes=max_bytes, within=config.root)
    except InputError as error:
        return _unreadable(display, error, unreadable, "")
    stamp = stamp_of(status)
    digest = hashlib.blake2b(data, digest_size=16, key=config.fingerprint.encode()[:64]).hexdigest()
    if cached_digest == digest:
        return CacheHit(digest, stamp)
    try:
        text = decode_text(data, path=path)
    except InputError as error:
        return _unreadable(display, error, unreadable, digest)
    if path.name == INTERVIEW_FILE:
        return _answers_outcome(text, display, config, digest, stamp)
    doc = parse_document(text, path=Path(display), kind=_kind_override(path, config))
    suppressions = find_suppressions(doc)
    secrets: set[str] = set()
    findings = [
        finding
        for finding in _document_findings(doc, display, config, secrets)
        if not (suppressions and suppressions.covers(_keys(finding), finding.line))
    ]
    if secrets:
        findings = [_redacted(finding, secrets) for finding in findings]
    if findings and _covering().keys() & {finding.rule for finding in findings}:
        findings = _without_covered(findings)
    findings.sort()
    return FileOutcome(
        display, doc.kind.value, tuple(findings), entry_of(doc), suppressions, digest, stamp
    )


def _answers_outcome(
    text: str, display: str, config: Config, digest: str, stamp: Stamp
) -> FileOutcome:
    """Check an interview's answers file: only for secrets, the one rule that is about
    what was typed rather than how a document is written."""
    findings: list[Finding] = []
    setting = config.setting(_SECRET_RULE)
    if setting is not None and setting.severity is not Severity.OFF:
        doc = parse_document(text, path=Path(display), kind=DocumentKind.MARKDOWN)
        secrets: set[str] = set()
        for problem in setting.rule.module.check(doc, setting.options):
            if problem.redact:
                secrets.add(problem.redact)
            findings.append(_finding(display, setting.rule, setting.severity, problem))
        findings = sorted(_redacted(finding, secrets) for finding in findings)
    return FileOutcome(display, ANSWERS_KIND, tuple(findings), None, Suppressions(), digest, stamp)


_Task = tuple[int, str, str, str | None]
"""A file to check: its index among the files asked for, its path (as text: a
:class:`~pathlib.Path` costs several times the memory), its display path, and the
digest the cache has for it."""


def _plan(
    files: Sequence[str], displays: list[str], config: Config, store: OutcomeStore, caching: bool
) -> tuple[_Sheet, list[_Task]]:
    """Return the run's sheet, holding what the cache answers for, and the files the
    cache does not answer for."""
    sheet = _Sheet(displays)
    approval = config.setting(_APPROVAL_RULE)
    approving = approval is not None and approval.severity is not Severity.OFF
    tasks: list[_Task] = []
    for start in range(0, len(files), _PLAN_BATCH):
        displays = sheet.displays[start : start + _PLAN_BATCH]
        rows = store.rows(displays) if caching else {}
        for index, path in enumerate(files[start : start + _PLAN_BATCH], start):
            display = sheet.displays[index]
            # The approval rule's verdict on an integration's document depends on the
            # files beside it (the approvals record, the answers, the other documents),
            # which the cache does not key on: such a document is always checked afresh.
            fresh = approving and depends_on_record(Path(path))
            row = None if fresh else rows.get(display)  # no stat for new files
            if row is not None and trusted(row, _stamp_or_none(path)) and sheet.take(index, row):
                continue
            tasks.append((index, path, display, None if row is None else row.digest))
    return sheet, tasks


def _check_tasks(
    tasks: list[_Task],
    sheet: _Sheet,
    config: Config,
    request: ConfigRequest,
    jobs: int | None,
    store: OutcomeStore,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """Check the file of each task; write every fresh outcome to ``store``, and its
    facts to ``sheet``."""
    total = len(sheet.displays)
    progress = _Progress(on_progress, total, total - len(tasks))
    written: list[Checked] = []
    for (index, path, display, _), result in _checked(tasks, config, request, jobs, progress):
        if isinstance(result, CacheHit):
            row = store.row(display)
            if row is not None and sheet.take(index, row):
                store.restamp(row, result.stamp, time.time_ns())
                continue
            # A damaged row: check the file again, without the cache's word for it.
            again = check_file(Path(path), display, config, None)
            assert isinstance(again, FileOutcome)
            result = checked(again)
        # The id and links are read back once the workers are gone: held from now,
        # they would be in memory while the workers are too.
        sheet.put(index, result.facts._replace(entry=None))
        sheet.unread[index] = 1
        written.append(result)
        if len(written) >= _WRITE_BATCH:
            store.put(written, time.time_ns())
            written.clear()
    store.put(written, time.time_ns())


def _checked(
    tasks: list[_Task],
    config: Config,
    request: ConfigRequest,
    jobs: int | None,
    progress: _Progress,
) -> Iterator[tuple[_Task, Checked | CacheHit]]:
    """Yield each task with what checking its file gives, as the checks finish.

    With more than one CPU, worker processes check batches of files, and this process
    checks batches too while it waits for theirs: one worker fewer, which is one
    interpreter fewer in memory, for the same speed.
    """
    # More workers than CPUs only adds processes and memory: each would wait its turn.
    cpus = os.cpu_count() or 1
    workers = min(jobs, cpus) if jobs is not None else cpus
    if workers <= 1 or len(tasks) < _PARALLEL_FROM:
        for task in tasks:
            yield task, _check_here(task, config)
            progress.advance(1)
        return
    chunks = deque(tasks[start : start + _CHUNK] for start in range(0, len(tasks), _CHUNK))
    helpers = workers - 1
    # Workers start as fresh interpreters ("spawn"), not as copies of this process:
    # a copy would carry the list of every file and, as the run goes on, its pages,
    # counted again in each worker's memory on a run over a hundred thousand files.
    with ProcessPoolExecutor(
        max_workers=helpers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(request,),
    ) as pool:
        running: dict[Future[list[Checked | CacheHit]], list[_Task]] = {}
        while chunks or running:
            # Two batches a worker: one to check, one waiting, so none sits idle.
            while chunks and len(running) < 2 * helpers:
                chunk = chunks.popleft()
                work = [(path, display, digest) for _, path, display, digest in chunk]
                running[pool.submit(_check_chunk, work)] = chunk
            done = [future for future in running if future.done()]
            for future in done:
                chunk = running.pop(future)
                yield from zip(chunk, future.result(), strict=True)
                progress.advance(len(chunk))
            if done:
                continue
            if chunks:  # nothing back yet: check a batch here meanwhile
                chunk = chunks.popleft()
                for task in chunk:
                    yield task, _check_here(task, config)
                progress.advance(len(chunk))
            else:
                wait(running, return_when=FIRST_COMPLETED)


def _check_here(task: _Task, config: Config) -> Checked | CacheHit:
    _, path, display, digest = task
    return _stored_form(check_file(Path(path), display, config, digest))


class _Sheet:
    """What the run keeps of each requested file while it runs: its display path,
    kind, score, counts and id and links, a few hundred bytes a file. The findings
    themselves are in the store."""

    __slots__ = ("counts", "displays", "entries_by_file", "extras", "kinds", "scores", "unread")

    def __init__(self, displays: list[str]) -> None:
        self.displays = displays
        self.kinds: list[str] = [""] * len(displays)
        self.scores = ScoreColumns(len(displays))
        self.counts = array("q", bytes(8 * 3 * len(displays)))
        self.entries_by_file: list[SpecEntry | None] = [None] * len(displays)
        self.extras: dict[str, list[Finding]] = {}
        """The workspace rules' findings of each file they found something in."""
        self.unread = bytearray(len(displays))
        """Files whose id and links are to be read back from the store."""

    def put(self, index: int, facts: FileFacts) -> None:
        """Record the facts of file ``index``."""
        self.kinds[index] = facts.kind
        self.scores.put(index, facts.score)
        self.counts[3 * index : 3 * index + 3] = array("q", facts.counts)
        self.entries_by_file[index] = facts.entry

    def has_findings(self, index: int) -> bool:
        """Return whether file ``index`` has any finding, the workspace rules' included."""
        return any(self.counts[3 * index : 3 * index + 3])

    def take(self, index: int, row: StoredRow) -> bool:
        """Record the facts of file ``index`` from its stored row; return ``False``
        (recording nothing) when the row is damaged."""
        try:
            facts = row.facts()
        except (KeyError, TypeError, ValueError, RecursionError):
            return False
        self.put(index, facts)
        return True

    def entries(self, store: OutcomeStore) -> Iterator[SpecEntry]:
        """Yield the id and links of every requested file that has them, reading from
        ``store`` those of the files just checked."""
        for index, entry in enumerate(self.entries_by_file):
            if self.unread[index]:
                entry = _stored_entry(store, self.displays[index])
            if entry is not None:
                yield entry

    def result(self, config: Config, store: OutcomeStore) -> RunResult:
        """Return the run's result: in memory when it is small, else read from ``store``."""
        self.entries_by_file = []
        counts = {
            severity: sum(self.counts[position::3])
            for position, severity in enumerate(REPORTED_SEVERITIES)
        }
        scored = [index for index, kind in enumerate(self.kinds) if kind != ANSWERS_KIND]
        files: Collection[FileResult] = StoredFiles(store, self)
        if sum(counts.values()) <= HELD_FINDINGS and len(self.displays) <= HELD_FILES:
            files = tuple(files)
        return RunResult(
            files=files,
            # An answers file is not a document: it is checked, not scored.
            score=self.scores.mean(scored),
            preset=config.preset,
            fail_on=config.fail_on,
            min_score=config.min_score,
            version=__version__,
            counts=counts,
        )


class _Progress:
    """Tell ``on_progress`` how many of the requested files are done."""

    __slots__ = ("callback", "done", "total")

    def __init__(self, callback: Callable[[int, int], None] | None, total: int, done: int) -> None:
        self.callback = callback
        self.total = total
        self.done = done
        if callback is not None:
            callback(done, total)

    def advance(self, count: int) -> None:
        """Count ``count`` more files checked."""
        if self.callback is None:
            return
        self.done = min(self.done + count, self.total)
        self.callback(self.done, self.total)


_worker_config: Config | None = None


def _init_worker(request: ConfigRequest) -> None:
    global _worker_config
    _worker_config = request.load()


def _check_chunk(chunk: list[tuple[str, str, str | None]]) -> list[Checked | CacheHit]:
    assert _worker_config is not None
    return [
        _stored_form(check_file(Path(path), display, _worker_config, digest))
        for path, display, digest in chunk
    ]


def _stored_form(result: FileOutcome | CacheHit) -> Checked | CacheHit:
    return result if isinstance(result, CacheHit) else checked(result)


def _document_findings(
    doc: Document, display: str, config: Config, secrets: set[str]
) -> Iterator[Finding]:
    """Yield every finding of ``doc``; add each secret a rule found to ``secrets``."""
    for setting in config.enabled():
        rule = setting.rule
        if rule.scope != "document" or not rule.applies_to(doc.kind):
            continue
        try:
            problems = list(rule.module.check(doc, setting.options))
        except Exception as error:  # a rule bug must not stop the run over every other file
            problems = [_crash(rule, error)]
        for problem in problems:
            if problem.redact:
                secrets.add(problem.redact)
            yield _finding(display, rule, setting.severity, problem)
    for custom in config.custom_rules:
        if custom.severity is Severity.OFF:
            continue
        for number, line in enumerate(doc.lines, start=1):
            for match in custom.pattern.finditer(line):
                yield Finding(
                    display,
                    number,
                    match.start() + 1,
                    custom.code,
                    custom.name,
                    custom.severity,
                    custom.message,
                    custom.fix,
                    Family.CONTENT,
                )


def _redacted(finding: Finding, secrets: set[str]) -> Finding:
    """Mask every secret of the file in ``finding``'s message and fix, whatever its rule."""
    message, fix = finding.message, finding.fix
    for secret in sorted(secrets, key=len, reverse=True):
        message = _mask_in(message, secret)
        fix = _mask_in(fix, secret)
    if (message, fix) == (finding.message, finding.fix):
        return finding
    return finding._replace(message=message, fix=fix)


def _mask_in(text: str, secret: str) -> str:
    """Mask ``secret`` in ``text``, and any start of it a shortened quote kept."""
    text = text.replace(secret, masked(secret))
    shown = masked(secret).rstrip("*")
    start = text.find(secret[: len(shown) + 4])
    while start != -1:
        end = start
        while end < len(text) and end - start < len(secret) and text[end] == secret[end - start]:
            end += 1
        text = text[:start] + masked(secret) + text[end:]
        start = text.find(secret[: len(shown) + 4], start + 1)
    return text


@cache
def _covering() -> dict[str, frozenset[str]]:
    """Map each rule that covers others to the names of the rules it covers."""
    return {rule.name: frozenset(rule.covers) for rule in all_rules() if rule.covers}


def _without_covered(findings: list[Finding]) -> list[Finding]:
    """Drop each finding that a finding on its line, at least as severe, covers."""
    covering = _covering()
    covers = [finding for finding in findings if finding.rule in covering]
    return [
        finding
        for finding in findings
        if not any(
            finding.rule in covering[other.rule]
            and other.line == finding.line
            and other.severity.at_least(finding.severity)
            for other in covers
        )
    ]


def _crash(rule: Rule, error: Exception) -> Problem:
    return Problem(
        1,
        1,
        f"rule {rule.name} failed on this file ({type(error).__name__}: {error}); "
        "the other rules ran; please report this as a bug",
    )


def _finding(display: str, rule: Rule, severity: Severity, problem: Problem) -> Finding:
    return Finding(
        path=display,
        line=max(problem.line, 1),
        column=max(problem.column, 1),
        code=rule.code,
        rule=rule.name,
        severity=severity,
        message=problem.message,
        fix=problem.hint or rule.fix,
        family=rule.family,
    )


def _unreadable(
    display: str, error: InputError, setting: RuleSetting | None, digest: str
) -> FileOutcome:
    findings: tuple[Finding, ...] = ()
    if setting is not None and setting.severity is not Severity.OFF:
        rule = setting.rule
        findings = tuple(
            _finding(display, rule, setting.severity, problem)
            for problem in rule.module.check(error, setting.options)
        )
    return FileOutcome(display, UNREADABLE_KIND, findings, None, Suppressions(), digest)


def _context_outcome(path: Path, display: str, config: Config) -> FileOutcome:
    """Read only the id and links of a spec the run was not asked to check.

    Context files are not reported on, so their bodies are neither parsed nor checked;
    the outcome has no digest, so it never replaces a full result in the cache.
    """
    try:
        data = read_bytes(
            path, max_bytes=_max_bytes(config.setting("unreadable")), within=config.root
        )
        text = decode_text(data, path=path)
    except InputError:
        return FileOutcome(display, UNREADABLE_KIND, (), None, Suppressions(), "")
    front, _ = split_front_matter(tuple(text.split("\n")))
    kind = DocumentKind.SPECKIT
    if front is not None and front.data.get("type") == "service_spec":
        kind = DocumentKind.INTEGRATION_SPEC
    entry = entry_from_front_matter(display, kind, front)
    return FileOutcome(display, kind.value, (), entry, Suppressions(), "")


def _stamp_or_none(path: Path | str) -> Stamp | None:
    try:
        return stamp_of(os.stat(path))  # noqa: PTH116 - paths are text here, to save memory
    except OSError:
        return None


def _max_bytes(setting: RuleSetting | None) -> int:
    value: Any = setting.options.get("max_bytes") if setting is not None else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_BYTES


def _kind_override(path: Path, config: Config) -> DocumentKind | None:
    if not config.types:
        return None
    relative = relative_to_root(path, config.root)
    for glob, kind in config.types:
        if matches_any(relative, (glob,)):
            return kind
    return None


def _keys(finding: Finding) -> tuple[str, ...]:
    return (finding.rule, finding.code)


def _stored_entry(store: OutcomeStore, display: str) -> SpecEntry | None:
    """Return the id and links the store has for ``display``, written by this run."""
    row = store.row(display)
    try:
        if row is None:
            raise ValueError("its row is gone")
        return row.decoded_entry()
    except (KeyError, TypeError, ValueError, RecursionError) as error:
        raise InputError(
            f"the id and links of {display} could not be read back ({error}); run again",
            path=store.path,
        ) from error


def _context_entries(
    context: Sequence[Path], here: Path, config: Config, cache: OutcomeStore | None
) -> Iterator[SpecEntry]:
    """Yield the id and links of each of the workspace's other specs."""
    for path in context:
        display = display_path(path, here)
        row = cache.row(display) if cache is not None else None
        if row is not None and trusted(row, _stamp_or_none(path)):
            with suppress(KeyError, TypeError, ValueError, RecursionError):
                entry = row.decoded_entry()
                if entry is not None:
                    yield entry
                continue
        entry = _context_outcome(path, display, config).entry
        if entry is not None:
            yield entry


def _add_workspace_findings(
    sheet: _Sheet, entries: list[SpecEntry], config: Config, store: OutcomeStore
) -> None:
    """Run the workspace rules over every file's id and links; add their findings to
    the files they are about, and correct those files' scores and counts."""
    workspace = Workspace(tuple(entries))
    requested: dict[str, int] | None = None
    for finding in _workspace_findings(workspace, config):
        if requested is None:
            requested = {display: index for index, display in enumerate(sheet.displays)}
        if finding.path in requested:  # not a context file: what was asked for
            sheet.extras.setdefault(finding.path, []).append(finding)
    for display, added in list(sheet.extras.items()):
        assert requested is not None
        row = store.row(display)
        if row is None:
            raise InputError(f"{display}: the run's findings could not be read back")
        silenced = row.decoded_suppressions()
        kept = [
            finding
            for finding in added
            if not (silenced and silenced.covers(_keys(finding), finding.line))
        ]
        if not kept:
            del sheet.extras[display]
            continue
        sheet.extras[display] = kept
        index = requested[display]
        facts = facts_of(
            FileOutcome(
                display,
                row.kind,
                (*row.decoded_findings(), *kept),
                None,
                Suppressions(),
                row.digest,
            )
        )
        sheet.put(index, facts._replace(entry=None))


class StoredFiles(StreamedFiles):
    """A run's files, read back from its store one at a time, with what the
    workspace rules added to them."""

    __slots__ = ("_finalizer", "_sheet", "_store")

    def __init__(self, store: OutcomeStore, sheet: _Sheet) -> None:
        self._store = store
        self._sheet = sheet
        self._finalizer = weakref.finalize(self, store.close)

    def __len__(self) -> int:
        return len(self._sheet.displays)

    def __iter__(self) -> Iterator[FileResult]:
        for index, display in enumerate(self._sheet.displays):
            yield FileResult(
                display,
                self._sheet.kinds[index],
                self._read(display, index),
                self._sheet.scores.get(index),
            )

    def ordered_findings(self) -> Iterator[Finding]:
        displays = self._sheet.displays
        for index in sorted(range(len(displays)), key=displays.__getitem__):
            yield from self._read(displays[index], index)

    def summaries(self) -> Iterator[FileSummary]:
        sheet = self._sheet
        for index, display in enumerate(sheet.displays):
            counts = dict(
                zip(REPORTED_SEVERITIES, sheet.counts[3 * index : 3 * index + 3], strict=True)
            )
            yield FileSummary(display, sheet.kinds[index], sheet.scores.get(index), counts)

    def close(self) -> None:
        """Close the store (and remove it, when it was the run's own)."""
        self._finalizer()

    def _read(self, display: str, index: int | None = None) -> tuple[Finding, ...]:
        if index is not None and not self._sheet.has_findings(index):
            return ()  # nothing to read: most files of a clean workspace
        row = self._store.row(display)
        try:
            if row is None:
                raise ValueError("its row is gone")
            findings = row.decoded_findings()
        except (KeyError, TypeError, ValueError, RecursionError) as error:
            # Only a row signed with the cache's key gets this far: forget it, so that
            # the next run checks the file afresh.
            self._store.forget(display)
            raise InputError(
                f"the findings of {display} could not be read back from the cache "
                f"({type(error).__name__}); its entry was dropped, run again",
                path=self._store.path,
            ) from error
        added = self._sheet.extras.get(display)
        if added:
            findings = tuple(sorted((*findings, *added)))
        return findings


def _run_store() -> OutcomeStore:
    """Open the table of a run without the cache: a temporary file, or memory when no
    temporary folder can be written."""
    try:
        return OutcomeStore.temporary_store()
    except StoreError:
        return OutcomeStore.in_memory()


def _workspace_findings(workspace: Workspace, config: Config) -> Iterator[Finding]:
    for setting in config.enabled():
        rule = setting.rule
        if rule.scope != "workspace":
            continue
        for problem in rule.module.check(workspace, setting.options):
            yield _finding(
                problem.path,
                rule,
                setting.severity,
                Problem(problem.line, problem.column, problem.message, problem.hint),
            )


__all__ = ["ConfigRequest", "FileOutcome", "check_file", "validate_paths"]
