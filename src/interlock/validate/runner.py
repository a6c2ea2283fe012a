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
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
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
from interlock.interview.store import INTERVIEW_FILE
from interlock.model.finding import Family, Finding, Problem, Severity, masked
from interlock.validate.cache import ResultCache
from interlock.validate.config import Config, RuleSetting, load_config
from interlock.validate.outcome import CacheHit, FileOutcome, Stamp, stamp_of
from interlock.validate.registry import Rule, all_rules
from interlock.validate.result import FileResult, RunResult
from interlock.validate.score import score_document, score_run
from interlock.workspace.approvals import depends_on_record
from interlock.workspace.discovery import (
    display_path,
    find_specs,
    matches_any,
    relative_to_root,
)
from interlock.workspace.index import Workspace, entry_from_front_matter, entry_of
from interlock.workspace.root import SPECS_DIR, WORKSPACE_DIR

UNREADABLE_KIND = "unreadable"
ANSWERS_KIND = "answers"
"""The kind reported for an interview's answers file, which only the secret rule reads."""
_SECRET_RULE = "secret"
_APPROVAL_RULE = "approval"
_PARALLEL_FROM = 200
_CHUNK = 64


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

    Args:
        on_progress: called as ``on_progress(done, total)`` with how many of the
            requested files are done: once when they are found (those the cache
            answers count as done), then as each file, or each worker's batch, is
            checked.

    Raises:
        ConfigError: the configuration is invalid.
        UsageError: a path does not exist.
    """
    config = request.load()
    here = (cwd or Path.cwd()).resolve()
    files = find_specs(
        paths, root=config.root, include=config.include, exclude=config.exclude, answers=True
    )
    context = _context_files(config, paths, files)
    cache = ResultCache.open(config) if use_cache else None
    known = cache.digests() if cache is not None else {}
    ready: dict[int, FileOutcome] = {}
    tasks = []
    approval = config.setting(_APPROVAL_RULE)
    approving = approval is not None and approval.severity is not Severity.OFF
    for index, path in enumerate((*files, *context)):
        display = display_path(path, here)
        unchanged = None
        # The approval rule's verdict on an integration's document depends on the files
        # beside it (the approvals record, the answers, the other documents), which the
        # cache does not key on: such a document is always checked afresh.
        fresh = approving and index < len(files) and depends_on_record(path)
        if cache is not None and display in cache.entries and not fresh:  # no stat for new files
            unchanged = cache.unchanged(display, _stamp_or_none(path))
        if unchanged is not None:
            ready[index] = unchanged
        elif index >= len(files):
            ready[index] = _context_outcome(path, display, config)
        else:
            tasks.append((path, display, None if fresh else known.get(display)))
    report = _Progress(on_progress, len(files), sum(index < len(files) for index in ready))
    checked = iter(_check_all(tasks, config, request, jobs, cache, report))
    outcomes = [
        ready[index] if index in ready else next(checked)
        for index in range(len(files) + len(context))
    ]
    if cache is not None:
        cache.store(outcomes)
    return _assemble(outcomes[: len(files)], outcomes[len(files) :], config)


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


def _check_all(
    tasks: list[tuple[Path, str, str | None]],
    config: Config,
    request: ConfigRequest,
    jobs: int | None,
    cache: ResultCache | None,
    progress: _Progress,
) -> list[FileOutcome]:
    # More workers than CPUs only adds processes and memory: each would wait its turn.
    cpus = os.cpu_count() or 1
    workers = min(jobs, cpus) if jobs is not None else cpus
    results: list[FileOutcome | CacheHit] = []
    if workers <= 1 or len(tasks) < _PARALLEL_FROM:
        for path, display, digest in tasks:
            results.append(check_file(path, display, config, digest))
            progress.advance(1)
    else:
        chunks = [tasks[start : start + _CHUNK] for start in range(0, len(tasks), _CHUNK)]
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(request,)
        ) as pool:
            for chunk, checked in zip(chunks, pool.map(_check_chunk, chunks), strict=True):
                results.extend(checked)
                progress.advance(len(chunk))
    outcomes: list[FileOutcome] = []
    for (path, display, _), result in zip(tasks, results, strict=True):
        if isinstance(result, FileOutcome):
            outcomes.append(result)
            continue
        cached = cache.outcome(display) if cache is not None else None
        if cached is None:  # a damaged cache entry: check the file again
            fresh = check_file(path, display, config, None)
            assert isinstance(fresh, FileOutcome)
            cached = fresh
        outcomes.append(replace(cached, stamp=result.stamp))
    return outcomes


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


def _check_chunk(chunk: list[tuple[Path, str, str | None]]) -> list[FileOutcome | CacheHit]:
    assert _worker_config is not None
    return [check_file(path, display, _worker_config, digest) for path, display, digest in chunk]


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
    return replace(finding, message=message, fix=fix)


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
    entry = entry_from_front_matter(Path(display), kind, front)
    return FileOutcome(display, kind.value, (), entry, Suppressions(), "")


def _stamp_or_none(path: Path) -> Stamp | None:
    try:
        return stamp_of(path.stat())
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


def _assemble(outcomes: list[FileOutcome], context: list[FileOutcome], config: Config) -> RunResult:
    by_path: dict[str, list[Finding]] = {
        outcome.path: list(outcome.findings) for outcome in outcomes
    }
    everyone = (*outcomes, *context)
    entries = [outcome.entry for outcome in everyone if outcome.entry is not None]
    displays = {entry.path: outcome.path for outcome in everyone if (entry := outcome.entry)}
    suppressions = {outcome.path: outcome.suppressions for outcome in outcomes}
    workspace = Workspace(tuple(entries))
    for finding in _workspace_findings(workspace, config, displays):
        if finding.path not in by_path:
            continue  # a context file: its own findings are not what was asked for
        silenced = suppressions.get(finding.path)
        if silenced and silenced.covers(_keys(finding), finding.line):
            continue
        by_path[finding.path].append(finding)
    files = tuple(
        FileResult(
            outcome.path,
            outcome.kind,
            tuple(sorted(by_path[outcome.path])),
            score_document(by_path[outcome.path]),
        )
        for outcome in outcomes
    )
    counts = dict.fromkeys((Severity.ERROR, Severity.WARNING, Severity.INFO), 0)
    for file in files:
        for finding in file.findings:
            counts[finding.severity] += 1
    return RunResult(
        files=files,
        # An answers file is not a document: it is checked, not scored.
        score=score_run([file.score for file in files if file.kind != ANSWERS_KIND]),
        preset=config.preset,
        fail_on=config.fail_on,
        min_score=config.min_score,
        version=__version__,
        counts=counts,
    )


def _workspace_findings(
    workspace: Workspace, config: Config, displays: Mapping[Path, str]
) -> Iterator[Finding]:
    for setting in config.enabled():
        rule = setting.rule
        if rule.scope != "workspace":
            continue
        for problem in rule.module.check(workspace, setting.options):
            display = displays.get(problem.path, problem.path.as_posix())
            yield _finding(
                display,
                rule,
                setting.severity,
                Problem(problem.line, problem.column, problem.message, problem.hint),
            )


__all__ = ["ConfigRequest", "FileOutcome", "check_file", "validate_paths"]
