"""The validation cache: per-file outcomes keyed on content, config and version.

A warm run parses and checks only the files whose content changed. Like git's index,
it trusts a file's stamp (size, modification and change times, inode) when all are as
recorded and the file was not changed within two seconds of the cache being written (a
"racy" stamp); any other file is read and hashed, and its content decides. The change
time cannot be set back by hand, so an edit that keeps the size and restores the
modification time is still seen.

The cache must never change what a run reports, only how fast it arrives, so nothing
in a repository can feed it:

- it lives in the user's cache directory (``INTERLOCK_CACHE_DIR`` overrides), one
  folder per workspace, never inside the workspace where a pull request could add one;
- each cache file is signed (HMAC-SHA256) with a random key kept beside the caches,
  created on first use and readable by the user alone; a file whose signature does not
  match is ignored before it is parsed, so a planted or hand-edited cache is never
  believed;
- it is JSON, never pickle, and read only if it is a regular file under a size cap.

A cache that is missing, unsigned, stale, unreadable or corrupt is ignored and
rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from interlock import __version__
from interlock.atomic_file import write_atomically
from interlock.documents.model import DocumentKind
from interlock.documents.suppressions import Suppressions
from interlock.errors import InputError
from interlock.model.finding import Family, Finding, Severity
from interlock.regular_file import read_regular_file
from interlock.validate.config import Config
from interlock.validate.outcome import FileOutcome, Stamp
from interlock.workspace.index import Link, SpecEntry

CACHE_DIR_VARIABLE = "INTERLOCK_CACHE_DIR"
"""Names the folder that holds the caches instead of the user's cache directory."""

_FORMAT = 3
_RACY_NS = 2_000_000_000
_KEY_NAME = "key"
_KEY_BYTES = 32
_MAX_CACHE_BYTES = 1024 * 1024 * 1024
"""A cache of 100,000 specs with many findings each stays well below this."""


@dataclass(slots=True)
class ResultCache:
    """Outcomes of earlier runs under the same config, by display path."""

    path: Path
    root: Path
    """The workspace (or folder) whose outcomes these are."""
    key: bytes
    """The signing key; empty when none could be had, and then nothing is stored."""
    entries: dict[str, dict[str, Any]]
    written_ns: int = 0
    """When the cache file was last written; stamps this recent are not trusted."""
    spent: set[str] = field(default_factory=set)
    """Paths whose findings text was decoded and let go: rewritten from their outcome."""

    @classmethod
    def open(cls, config: Config) -> ResultCache:
        """Open the cache for ``config``; an unusable cache file opens empty."""
        path = cache_folder(config.root) / f"validate-{config.fingerprint}.json"
        key = _signing_key(cache_root())
        raw = _verified(path, key) if key else None
        valid = (
            isinstance(raw, dict)
            and raw.get("format") == _FORMAT
            and raw.get("version") == __version__
            and raw.get("root") == str(config.root)
            and isinstance(raw.get("entries"), dict)
        )
        if not valid or not isinstance(raw, dict):
            return cls(path, config.root, key, {})
        written = raw.get("written_ns")
        written_ns = written if isinstance(written, int) else 0
        return cls(path, config.root, key, raw["entries"], written_ns)

    def digests(self) -> dict[str, str]:
        """Return the content digest recorded for each path."""
        return {
            path: str(entry.get("digest"))
            for path, entry in self.entries.items()
            if isinstance(entry, dict)
        }

    def unchanged(self, display: str, stamp: Stamp | None) -> FileOutcome | None:
        """Return the cached outcome of ``display`` if its stamp shows it unchanged."""
        entry = self.entries.get(display)
        if stamp is None or not isinstance(entry, dict) or entry.get("stamp") != list(stamp):
            return None
        if _changed_ns(stamp) >= self.written_ns - _RACY_NS:
            return None  # changed around the time the cache was written: read it
        return self.outcome(display)

    def outcome(self, display: str) -> FileOutcome | None:
        """Rebuild the cached outcome of ``display``; ``None`` when the entry is damaged."""
        try:
            outcome = _decode(self.entries[display], display)
        except (KeyError, TypeError, ValueError):
            self.entries.pop(display, None)  # so that the fresh result replaces it
            return None
        # The outcome holds the findings now; their text would only double the memory
        # a run on a hundred thousand files needs. A rewrite encodes them again.
        del self.entries[display]["findings"]
        self.spent.add(display)
        return outcome

    def store(self, outcomes: Iterable[FileOutcome]) -> None:
        """Record new ``outcomes`` and write the cache atomically; failures are ignored."""
        if not self.key:
            return  # without a key nothing written could be trusted on reading
        now = time.time_ns()
        changed = False
        spent: list[FileOutcome] = []
        for outcome in outcomes:
            if self.written_ns - _RACY_NS <= _changed_ns(outcome.stamp) < now - _RACY_NS:
                changed = True  # racy before, settled now: rewrite so the stamp counts
            known = self.entries.get(outcome.path)
            if not outcome.digest or (
                isinstance(known, dict)
                and known.get("digest") == outcome.digest
                and known.get("stamp") == list(outcome.stamp)
            ):
                if outcome.path in self.spent:
                    spent.append(outcome)
                continue
            self.entries[outcome.path] = _encode(outcome)
            changed = True
        if not changed:
            return  # a warm run that found nothing new rewrites nothing
        for outcome in spent:
            self.entries[outcome.path] = _encode(outcome)
        payload = json.dumps(
            {
                "format": _FORMAT,
                "version": __version__,
                "root": str(self.root),
                "written_ns": now,
                "entries": self.entries,
            },
            separators=(",", ":"),
        ).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(self.path, _signature(self.key, payload) + b"\n" + payload)
        except OSError:
            return  # an unwritable cache folder: the run still validates, only slower


def cache_root() -> Path:
    """Return the folder that holds every workspace's cache and the signing key."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(configured) if configured else Path(user_cache_dir("interlock"))


def cache_folder(root: Path) -> Path:
    """Return where the cache of the workspace (or folder) ``root`` lives."""
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return cache_root() / digest


def _changed_ns(stamp: Stamp) -> int:
    """Return the latest of the modification and change times in ``stamp``."""
    return max(stamp[1], stamp[2])


def _signature(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode()


def _verified(path: Path, key: bytes) -> Any:
    """Return the parsed cache at ``path`` if its signature is right, else ``None``."""
    try:
        data, _ = read_regular_file(path, max_bytes=_MAX_CACHE_BYTES, what="cache file")
    except InputError:
        return None
    signature, _, payload = data.partition(b"\n")
    if not hmac.compare_digest(signature, _signature(key, payload)):
        return None  # planted, edited or written with another key: never believed
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def _signing_key(folder: Path) -> bytes:
    """Return the key caches in ``folder`` are signed with, creating it on first use.

    The key is random, readable by its owner only, and never in a workspace. An
    empty result (the folder cannot be written, the key file is damaged) turns the
    cache off for the run rather than trusting an unsigned file.
    """
    path = folder / _KEY_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            key, status = read_regular_file(path, max_bytes=_KEY_BYTES, what="cache key")
        except InputError:
            return b""
        mine = status.st_uid == os.getuid() and not status.st_mode & 0o077
        return key if len(key) == _KEY_BYTES and mine else b""
    except OSError:
        return b""
    key = secrets.token_bytes(_KEY_BYTES)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _encode(outcome: FileOutcome) -> dict[str, Any]:
    entry = outcome.entry
    return {
        "digest": outcome.digest,
        "stamp": list(outcome.stamp),
        "kind": outcome.kind,
        "findings": [_finding_row(finding) for finding in outcome.findings],
        "entry": None
        if entry is None
        else {
            "id": entry.id,
            "id_line": entry.id_line,
            "kind": entry.kind.value,
            "links": [[link.relation, link.target, link.line] for link in entry.links],
        },
        "suppressions": {
            "lines": [[line, sorted(names)] for line, names in outcome.suppressions.lines],
            "ranges": [
                [first, last, sorted(names)] for first, last, names in outcome.suppressions.ranges
            ],
        },
    }


def _decode(raw: dict[str, Any], display: str) -> FileOutcome:
    findings = tuple(
        Finding(
            display,
            line,
            column,
            code,
            rule,
            _SEVERITIES[severity],
            message,
            fix,
            _FAMILIES[family],
        )
        for line, column, code, rule, severity, message, fix, family in _findings_of(raw)
    )
    entry_raw = raw["entry"]
    entry = (
        None
        if entry_raw is None
        else SpecEntry(
            Path(display),
            entry_raw["id"],
            entry_raw["id_line"],
            _KINDS[entry_raw["kind"]],
            tuple(Link(relation, target, line) for relation, target, line in entry_raw["links"]),
        )
    )
    lines, ranges = raw["suppressions"]["lines"], raw["suppressions"]["ranges"]
    suppressions = (
        Suppressions(
            tuple((line, frozenset(names)) for line, names in lines),
            tuple((first, last, frozenset(names)) for first, last, names in ranges),
        )
        if lines or ranges
        else _NO_SUPPRESSIONS
    )
    size, modified, changed, inode = raw["stamp"]
    return FileOutcome(
        display,
        raw["kind"],
        findings,
        entry,
        suppressions,
        raw["digest"],
        (size, modified, changed, inode),
    )


def _finding_row(finding: Finding) -> list[Any]:
    return [
        finding.line,
        finding.column,
        finding.code,
        finding.rule,
        finding.severity.value,
        finding.message,
        finding.fix,
        finding.family.value,
    ]


def _findings_of(raw: dict[str, Any]) -> list[list[Any]]:
    """Return an entry's findings; a damaged entry raises."""
    findings = raw["findings"]
    if not isinstance(findings, list):
        raise TypeError("findings are not a list")
    return findings


# Enum members by value, looked up directly: calling an enum class costs more, and a
# warm run rebuilds every outcome of the workspace from the cache.
_SEVERITIES = {member.value: member for member in Severity}
_FAMILIES = {member.value: member for member in Family}
_KINDS = {member.value: member for member in DocumentKind}
_NO_SUPPRESSIONS = Suppressions()


__all__ = ["ResultCache", "cache_folder"]
