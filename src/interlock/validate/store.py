"""Where a run keeps what it found in each file: a SQLite database, one row a file.

A run writes each file's outcome (findings, score, id and links, suppressions) as the
file is checked, and the report reads them back one file at a time, so neither the run
nor its report holds the findings of a hundred thousand files at once. The same table
is the validation cache (:mod:`interlock.validate.cache`): a warm run reads the rows of
unchanged files and writes only the rows of changed ones. A run without the cache
keeps its rows in a temporary database, removed when the run is done.

Every row is signed with the cache key (HMAC-SHA256 of its path and its other columns
but the signature, joined by NUL characters): a row that was
planted, edited, or written with another key is not believed, and the file is checked
again. Findings are JSON, never pickle.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import shutil
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from interlock.documents.model import DocumentKind
from interlock.documents.suppressions import Suppressions
from interlock.errors import InterlockError
from interlock.model.finding import Family, Finding, Severity
from interlock.validate.outcome import FileOutcome, Stamp
from interlock.validate.result import Score, count_by_severity
from interlock.validate.score import score_document
from interlock.workspace.index import RELATIONS, Link, SpecEntry

FORMAT = 4
"""The layout of the table; a database of another layout is started afresh."""
_BUSY_MS = 10_000
"""How long a run waits for another run that is writing the same cache."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outcome (
    path BLOB PRIMARY KEY,
    digest TEXT NOT NULL,
    stamp TEXT NOT NULL,
    written_ns INTEGER NOT NULL,
    kind TEXT NOT NULL,
    entry TEXT NOT NULL,
    suppressions TEXT NOT NULL,
    findings TEXT NOT NULL,
    summary TEXT NOT NULL,
    mac BLOB NOT NULL
) WITHOUT ROWID;
"""
_MARKS = ", ".join("?" * 10)
_BATCH = 500
"""Rows read in one query; SQLite allows at least 999 parameters."""
_COLUMNS = "digest, stamp, written_ns, kind, entry, suppressions, findings, summary, mac"


class StoreError(InterlockError):
    """The database cannot be opened or written."""


class FileFacts(NamedTuple):
    """What the run keeps of a file while it runs: its id, links and score."""

    kind: str
    entry: SpecEntry | None
    score: Score
    counts: tuple[int, int, int]
    """Errors, warnings and infos."""


class Checked(NamedTuple):
    """A file just checked, ready to be stored: what a worker process hands back.

    The findings come encoded, by the worker: text crosses between processes faster
    than the objects, and the parent process, which every worker waits on, has less
    to do.
    """

    outcome: FileOutcome
    """The outcome, without its findings."""
    findings: str
    facts: FileFacts


def checked(outcome: FileOutcome) -> Checked:
    """Return ``outcome`` as :class:`Checked`."""
    return Checked(
        replace(outcome, findings=()), encode_findings(outcome.findings), facts_of(outcome)
    )


class StoredRow(NamedTuple):
    """A row whose signature was checked: the outcome of one file, still encoded."""

    path: str
    digest: str
    stamp: Stamp
    written_ns: int
    kind: str
    entry: str
    suppressions: str
    findings: str
    summary: str

    def facts(self) -> FileFacts:
        """Decode what the run keeps; raise ``ValueError`` (or ``TypeError``,
        ``KeyError``) when the row is damaged."""
        total, *families, errors, warnings, infos = json.loads(self.summary)
        score = Score(float(total), dict(zip(_FAMILY_LIST, map(float, families), strict=True)))
        counts = (int(errors), int(warnings), int(infos))
        return FileFacts(self.kind, _decode_entry(self.entry, self.path), score, counts)

    def decoded_entry(self) -> SpecEntry | None:
        """Return the file's id and links; raise when the row is damaged."""
        return _decode_entry(self.entry, self.path)

    def decoded_findings(self) -> tuple[Finding, ...]:
        """Return the file's findings; raise when the row is damaged."""
        return decode_findings(self.findings, self.path)

    def decoded_suppressions(self) -> Suppressions:
        """Return the file's suppression comments; raise when the row is damaged."""
        return _decode_suppressions(self.suppressions)


@dataclass(slots=True)
class OutcomeStore:
    """A database of file outcomes, its rows signed with ``key``."""

    connection: sqlite3.Connection
    key: bytes
    path: Path
    temporary: Path | None
    """The folder to remove on :meth:`close`, for a run's own database."""

    @classmethod
    def open(cls, path: Path, key: bytes, *, root: str, version: str) -> OutcomeStore:
        """Open (or create) the cache database at ``path`` for the workspace ``root``.

        A database of another format, version or workspace, or one that SQLite cannot
        read, is started afresh; a path that is not a regular file is refused.

        Raises:
            StoreError: the database cannot be opened or created.
        """
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise StoreError(str(error)) from error
        else:
            if not stat.S_ISREG(status.st_mode):
                raise StoreError(f"{path} is not a regular file")
        expected = {"format": str(FORMAT), "version": version, "root": root}
        try:
            return cls._opened(path, key, expected)
        except sqlite3.OperationalError as error:  # locked, read-only, out of space
            raise StoreError(str(error), path=path) from error
        except sqlite3.DatabaseError:  # not a database, or a damaged one: start afresh
            _remove(path)
        try:
            return cls._opened(path, key, expected)
        except sqlite3.Error as error:
            raise StoreError(str(error), path=path) from error

    @classmethod
    def _opened(cls, path: Path, key: bytes, meta: dict[str, str]) -> OutcomeStore:
        connection = _connect(path, journal="WAL")
        try:
            connection.executescript(_SCHEMA)
            if dict(connection.execute("SELECT key, value FROM meta").fetchall()) != meta:
                with connection:
                    connection.execute("DELETE FROM outcome")
                    connection.execute("DELETE FROM meta")
                    connection.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
            # A cache that cannot be written (a read-only file, a full disk) is refused
            # now rather than halfway through the run.
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
        except BaseException:
            connection.close()
            raise
        return cls(connection, key, path, None)

    @classmethod
    def temporary_store(cls) -> OutcomeStore:
        """Open a database for one run, in a folder of its own that :meth:`close` removes.

        Raises:
            StoreError: no temporary folder can be written.
        """
        try:
            folder = Path(tempfile.mkdtemp(prefix="interlock-run-"))
        except OSError as error:
            raise StoreError(str(error)) from error
        path = folder / "outcomes.sqlite"
        try:
            connection = _connect(path, journal="OFF")
            connection.executescript(_SCHEMA)
        except sqlite3.Error as error:
            shutil.rmtree(folder, ignore_errors=True)
            raise StoreError(str(error)) from error
        return cls(connection, secrets.token_bytes(32), path, folder)

    @classmethod
    def in_memory(cls) -> OutcomeStore:
        """Open a database for one run in memory, when no temporary folder can be had."""
        connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        connection.executescript(_SCHEMA)
        return cls(connection, secrets.token_bytes(32), Path(":memory:"), None)

    def close(self) -> None:
        """Close the database; remove it when it was the run's own."""
        self.connection.close()
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None

    def row(self, path: str) -> StoredRow | None:
        """Return the signed row of ``path``; ``None`` when there is none or it is not
        believed (planted, edited, signed with another key)."""
        found = self.connection.execute(
            f"SELECT path, {_COLUMNS} FROM outcome WHERE path = ?", (_key(path),)
        ).fetchone()
        return None if found is None else self._believed(path, found)

    def rows(self, paths: Sequence[str]) -> dict[str, StoredRow]:
        """Return the signed rows of ``paths`` that there are and are believed, read a
        few hundred at a time: one query each costs more than the rows it reads."""
        found: dict[str, StoredRow] = {}
        for start in range(0, len(paths), _BATCH):
            batch = paths[start : start + _BATCH]
            keys = {_key(path): path for path in batch}
            query = f"SELECT path, {_COLUMNS} FROM outcome WHERE path IN ({_marks(len(keys))})"
            for each in self.connection.execute(query, tuple(keys)):
                path = keys.get(each[0])
                row = None if path is None else self._believed(path, each)
                if path is not None and row is not None:
                    found[path] = row
        return found

    def _believed(self, path: str, found: tuple[Any, ...]) -> StoredRow | None:
        _, *columns, mac = found
        if not isinstance(mac, bytes) or not hmac.compare_digest(mac, self._mac(path, columns)):
            return None
        digest, stamp, written_ns, kind, entry, suppressions, findings, summary = columns
        try:
            size, modified, changed, inode = map(int, str(stamp).split())
        except ValueError:
            return None
        return StoredRow(
            path,
            digest,
            (size, modified, changed, inode),
            written_ns,
            kind,
            entry,
            suppressions,
            findings,
            summary,
        )

    def put(self, outcomes: Iterable[Checked], written_ns: int) -> None:
        """Write the rows of ``outcomes``, replacing those of the same paths.

        Raises:
            StoreError: the database cannot be written.
        """
        rows = []
        for outcome, findings, facts in outcomes:
            columns = [
                outcome.digest,
                " ".join(map(str, outcome.stamp)),
                written_ns,
                outcome.kind,
                _encode_entry(outcome.entry),
                _encode_suppressions(outcome.suppressions),
                findings,
                _encode_summary(facts),
            ]
            rows.append((_key(outcome.path), *columns, self._mac(outcome.path, columns)))
        self._write(f"INSERT OR REPLACE INTO outcome (path, {_COLUMNS}) VALUES ({_MARKS})", rows)

    def restamp(self, row: StoredRow, stamp: Stamp, written_ns: int) -> None:
        """Record that the file of ``row`` still has its content, with a new stamp.

        Raises:
            StoreError: the database cannot be written.
        """
        columns = [
            row.digest,
            " ".join(map(str, stamp)),
            written_ns,
            row.kind,
            row.entry,
            row.suppressions,
            row.findings,
            row.summary,
        ]
        self._write(
            "UPDATE outcome SET stamp = ?, written_ns = ?, mac = ? WHERE path = ?",
            [(columns[1], written_ns, self._mac(row.path, columns), _key(row.path))],
        )

    def forget(self, path: str) -> None:
        """Drop the row of ``path``, if the database can be written."""
        with suppress(sqlite3.Error):
            self.connection.execute("DELETE FROM outcome WHERE path = ?", (_key(path),))

    def _write(self, statement: str, rows: list[Any]) -> None:
        try:
            with self.connection:
                self.connection.executemany(statement, rows)
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot write the findings of the run: {error}",
                path=self.path,
                hint="free some disk space, or run again with --no-cache",
            ) from error

    def _mac(self, path: str, columns: list[Any]) -> bytes:
        message = "\0".join([path, *map(str, columns)]).encode("utf-8", "surrogatepass")
        return hmac.digest(self.key, message, "sha256")


def facts_of(outcome: FileOutcome) -> FileFacts:
    """Return what a run keeps of a file it has just checked."""
    findings = outcome.findings
    return FileFacts(
        outcome.kind, outcome.entry, score_document(findings), severity_counts(findings)
    )


def severity_counts(findings: Iterable[Finding]) -> tuple[int, int, int]:
    """Return how many errors, warnings and infos ``findings`` hold."""
    errors, warnings, infos = count_by_severity(findings).values()
    return errors, warnings, infos


def encode_findings(findings: Iterable[Finding]) -> str:
    """Return findings as JSON rows; their path is the row's."""
    return json.dumps(
        [
            [
                finding.line,
                finding.column,
                finding.code,
                finding.rule,
                # The members themselves: they are strings, and ``.value`` is slow.
                finding.severity,
                finding.message,
                finding.fix,
                finding.family,
            ]
            for finding in findings
        ],
        separators=(",", ":"),
    )


def decode_findings(text: str, path: str) -> tuple[Finding, ...]:
    """Return the findings of :func:`encode_findings`; raise when the text is damaged."""
    rows = json.loads(text)
    if not isinstance(rows, list):
        raise TypeError("findings are not a list")
    return tuple(
        Finding(
            path,
            line,
            column,
            code,
            rule,
            _SEVERITIES[severity],
            message,
            fix,
            _FAMILIES[family],
        )
        for line, column, code, rule, severity, message, fix, family in rows
    )


def _connect(path: Path, *, journal: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    connection.execute(f"PRAGMA journal_mode = {journal}")
    # A cache is only a cache: a crash may lose its last rows, never corrupt a finding,
    # since every row is signed and a row not believed is checked afresh.
    connection.execute(f"PRAGMA synchronous = {'OFF' if journal == 'OFF' else 'NORMAL'}")
    path.chmod(0o600)
    return connection


def _remove(path: Path) -> None:
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            each.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise StoreError(str(error)) from error


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _key(path: str) -> bytes:
    """A display path as the table's key: a file name that is not UTF-8 keeps its bytes."""
    return path.encode("utf-8", "surrogateescape")


def _encode_entry(entry: SpecEntry | None) -> str:
    if entry is None:
        return "null"
    return json.dumps(
        [entry.id, entry.id_line, entry.kind.value, [list(link) for link in entry.links]],
        separators=(",", ":"),
    )


def _decode_entry(text: str, path: str) -> SpecEntry | None:
    raw = json.loads(text)
    if raw is None:
        return None
    spec_id, id_line, kind, links = raw
    # Ids and link targets repeat across the workspace: one copy of each is kept.
    return SpecEntry(
        path,
        None if spec_id is None else sys.intern(spec_id),
        int(id_line),
        _KINDS[kind],
        tuple(
            Link(_RELATIONS[relation], sys.intern(target), int(line))
            for relation, target, line in links
        ),
    )


def _encode_suppressions(suppressions: Suppressions) -> str:
    if not suppressions.lines and not suppressions.ranges:
        return "[]"
    return json.dumps(
        [
            [[line, sorted(names)] for line, names in suppressions.lines],
            [[first, last, sorted(names)] for first, last, names in suppressions.ranges],
        ],
        separators=(",", ":"),
    )


def _decode_suppressions(text: str) -> Suppressions:
    raw = json.loads(text)
    if not raw:
        return _NO_SUPPRESSIONS
    lines, ranges = raw
    return Suppressions(
        tuple((line, frozenset(names)) for line, names in lines),
        tuple((first, last, frozenset(names)) for first, last, names in ranges),
    )


def _encode_summary(facts: FileFacts) -> str:
    families = [facts.score.families[family] for family in _FAMILY_LIST]
    return json.dumps([facts.score.total, *families, *facts.counts], separators=(",", ":"))


_FAMILY_LIST = tuple(Family)
# Enum members by value, looked up directly: calling an enum class costs more, and a
# warm run rebuilds every finding it reports from the store.
_SEVERITIES = {member.value: member for member in Severity}
_FAMILIES = {member.value: member for member in Family}
_KINDS = {member.value: member for member in DocumentKind}
_NO_SUPPRESSIONS = Suppressions()
_RELATIONS = {relation: relation for relation in RELATIONS}


__all__ = [
    "FORMAT",
    "Checked",
    "FileFacts",
    "OutcomeStore",
    "StoreError",
    "StoredRow",
    "checked",
    "decode_findings",
    "encode_findings",
    "facts_of",
    "severity_counts",
]
