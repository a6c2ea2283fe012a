"""The validation cache: per-file outcomes keyed on content, config and version.

A warm run parses and checks only the files whose content changed. Like git's index,
it trusts a file's size and modification time when both are as recorded and the file
was not modified within two seconds of the cache being written (a "racy" stamp);
any other file is read and hashed, and its content decides.

The cache is one JSON file (never pickle: a cache committed or planted in a repository
must not be able to run code) in the workspace's ``.interlock/cache/``, or in the
user's cache directory outside a workspace. A cache that is missing, stale, unreadable
or corrupt is ignored and rewritten; it changes how fast a result arrives, not what
it says.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from interlock import __version__
from interlock.atomic_file import write_atomically
from interlock.documents.model import DocumentKind
from interlock.documents.suppressions import Suppressions
from interlock.model.finding import Family, Finding, Severity
from interlock.validate.config import Config
from interlock.validate.outcome import FileOutcome
from interlock.workspace.index import Link, SpecEntry
from interlock.workspace.root import WORKSPACE_DIR

_FORMAT = 2
_RACY_NS = 2_000_000_000


@dataclass(slots=True)
class ResultCache:
    """Outcomes of earlier runs under the same config, by display path."""

    path: Path
    entries: dict[str, dict[str, Any]]
    written_ns: int = 0
    """When the cache file was last written; stamps this recent are not trusted."""

    @classmethod
    def open(cls, config: Config) -> ResultCache:
        """Open the cache for ``config``; an unusable cache file opens empty."""
        path = cache_folder(config.root) / f"validate-{config.fingerprint}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {})
        valid = (
            isinstance(raw, dict)
            and raw.get("format") == _FORMAT
            and raw.get("version") == __version__
            and isinstance(raw.get("entries"), dict)
        )
        if not valid:
            return cls(path, {})
        written = raw.get("written_ns")
        return cls(path, raw["entries"], written if isinstance(written, int) else 0)

    def digests(self) -> dict[str, str]:
        """Return the content digest recorded for each path."""
        return {
            path: str(entry.get("digest"))
            for path, entry in self.entries.items()
            if isinstance(entry, dict)
        }

    def unchanged(self, display: str, stamp: tuple[int, int] | None) -> FileOutcome | None:
        """Return the cached outcome of ``display`` if its stamp shows it unchanged."""
        entry = self.entries.get(display)
        if stamp is None or not isinstance(entry, dict) or entry.get("stamp") != list(stamp):
            return None
        if stamp[1] >= self.written_ns - _RACY_NS:
            return None  # modified around the time the cache was written: read it
        return self.outcome(display)

    def outcome(self, display: str) -> FileOutcome | None:
        """Rebuild the cached outcome of ``display``; ``None`` when the entry is damaged."""
        try:
            return _decode(self.entries[display], display)
        except (KeyError, TypeError, ValueError):
            self.entries.pop(display, None)  # so that the fresh result replaces it
            return None

    def store(self, outcomes: Iterable[FileOutcome]) -> None:
        """Record new ``outcomes`` and write the cache atomically; failures are ignored."""
        now = time.time_ns()
        changed = False
        for outcome in outcomes:
            if self.written_ns - _RACY_NS <= outcome.stamp[1] < now - _RACY_NS:
                changed = True  # racy before, settled now: rewrite so the stamp counts
            known = self.entries.get(outcome.path)
            if not outcome.digest or (
                isinstance(known, dict)
                and known.get("digest") == outcome.digest
                and known.get("stamp") == list(outcome.stamp)
            ):
                continue
            self.entries[outcome.path] = _encode(outcome)
            changed = True
        if not changed:
            return  # a warm run that found nothing new rewrites nothing
        payload = {
            "format": _FORMAT,
            "version": __version__,
            "written_ns": now,
            "entries": self.entries,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(payload, separators=(",", ":")).encode())
        except OSError:
            return  # a read-only checkout still validates; it is only slower


def cache_folder(root: Path) -> Path:
    """Return where the cache of workspace ``root`` lives."""
    if (root / WORKSPACE_DIR).is_dir():
        return root / WORKSPACE_DIR / "cache"
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return Path(user_cache_dir("interlock")) / digest


def _encode(outcome: FileOutcome) -> dict[str, Any]:
    entry = outcome.entry
    return {
        "digest": outcome.digest,
        "stamp": list(outcome.stamp),
        "kind": outcome.kind,
        "findings": [
            [f.line, f.column, f.code, f.rule, f.severity.value, f.message, f.fix, f.family.value]
            for f in outcome.findings
        ],
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
        for line, column, code, rule, severity, message, fix, family in raw["findings"]
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
    size, mtime = raw["stamp"]
    return FileOutcome(
        display, raw["kind"], findings, entry, suppressions, raw["digest"], (size, mtime)
    )


# Enum members by value, looked up directly: calling an enum class costs more, and a
# warm run rebuilds every outcome of the workspace from the cache.
_SEVERITIES = {member.value: member for member in Severity}
_FAMILIES = {member.value: member for member in Family}
_KINDS = {member.value: member for member in DocumentKind}
_NO_SUPPRESSIONS = Suppressions()


__all__ = ["ResultCache", "cache_folder"]
