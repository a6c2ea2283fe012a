"""The validation cache: per-file outcomes keyed on content, config and version.

A warm run parses and checks only the files whose content changed. Like git's index,
it trusts a file's stamp (size, modification and change times, inode) when all are as
recorded and the file was not changed within two seconds of its row being written (a
"racy" stamp); any other file is read and hashed, and its content decides. The change
time cannot be set back by hand, so an edit that keeps the size and restores the
modification time is still seen.

The cache is the run's table of outcomes (:mod:`interlock.validate.store`) kept between
runs: a SQLite database with one signed row a file, so a warm run reads only the rows
of the files it reports and writes only the rows of files that changed.

The cache must never change what a run reports, only how fast it arrives, so nothing
in a repository can feed it:

- it lives in the user's cache directory (``INTERLOCK_CACHE_DIR`` overrides), one
  folder per workspace, never inside the workspace where a pull request could add one;
- each row is signed (HMAC-SHA256) with a random key kept beside the caches, created
  on first use and readable by the user alone; a row whose signature does not match is
  ignored before it is decoded, so a planted or hand-edited entry is never believed;
- findings are JSON, never pickle, and the database is opened only if it is a regular
  file.

A cache that is missing, unsigned, stale, unreadable or corrupt is ignored and
rewritten.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from platformdirs import user_cache_dir

from interlock import __version__
from interlock.errors import InputError
from interlock.regular_file import read_regular_file
from interlock.validate.config import Config
from interlock.validate.outcome import Stamp
from interlock.validate.store import OutcomeStore, StoredRow, StoreError

CACHE_DIR_VARIABLE = "INTERLOCK_CACHE_DIR"
"""Names the folder that holds the caches instead of the user's cache directory."""

_RACY_NS = 2_000_000_000
_KEY_NAME = "key"
_KEY_BYTES = 32


def open_cache(config: Config) -> OutcomeStore | None:
    """Open the cache of ``config``'s workspace; ``None`` when it cannot be had (no
    key could be made, the folder cannot be written, another run holds it too long)."""
    key = _signing_key(cache_root())
    if not key:
        return None  # without a key nothing written could be trusted on reading
    path = cache_folder(config.root) / f"validate-{config.fingerprint}.sqlite"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return OutcomeStore.open(path, key, root=str(config.root), version=__version__)
    except (OSError, StoreError):
        return None  # the run still validates, only slower


def trusted(row: StoredRow, stamp: Stamp | None) -> bool:
    """Return whether ``row`` answers for a file of ``stamp`` without reading it."""
    if stamp is None or row.stamp != stamp:
        return False
    return changed_ns(stamp) < row.written_ns - _RACY_NS


def cache_root() -> Path:
    """Return the folder that holds every workspace's cache and the signing key."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(configured) if configured else Path(user_cache_dir("interlock"))


def cache_folder(root: Path) -> Path:
    """Return where the cache of the workspace (or folder) ``root`` lives."""
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return cache_root() / digest


def changed_ns(stamp: Stamp) -> int:
    """Return the latest of the modification and change times in ``stamp``."""
    return max(stamp[1], stamp[2])


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


__all__ = [
    "CACHE_DIR_VARIABLE",
    "cache_folder",
    "cache_root",
    "changed_ns",
    "open_cache",
    "trusted",
]
