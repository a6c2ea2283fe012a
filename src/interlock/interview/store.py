"""The answers of one interview on disk: its ``interview.yaml``, written safely.

What the file holds and how it is written and read back is in
:mod:`interlock.interview.answers_file`; this module keeps it safe on disk. Every write
goes to a temporary file that is flushed, synced and renamed over the old one, so a crash
leaves either the previous answers or the new ones, never a torn file. A lock next to
the file (with a small note saying who holds it) keeps two processes from interleaving
their answers, and a file that does not load (one cut short, say) or that a person
edited is never written over without ``force``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from getpass import getuser
from pathlib import Path

from filelock import FileLock, Timeout

from interlock.atomic_file import content_digest, keep_copy, write_atomically
from interlock.errors import InputError, StoreError
from interlock.interview.answers import AnswerSheet
from interlock.interview.answers_file import (
    MAX_ANSWERS_BYTES,
    parse_sheet,
    parse_sheet_allowing_edits,
    render_sheet,
)
from interlock.interview.files import INTERVIEW_FILE
from interlock.regular_file import read_regular_file
from interlock.safe_yaml import format_timestamp

DEFAULT_LOCK_TIMEOUT = 2.0
"""Seconds a second process waits for the lock before giving up."""

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME_MAX = 64
_READ_ONLY_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(lock_path: Path) -> threading.Lock:
    """The lock the threads of this process take before the file lock at ``lock_path``.

    Threads waiting for one answers file (a server's requests) then queue on it and
    wake as soon as it is free, rather than each polling the file lock, which leaves
    an unlucky one waiting for seconds behind the others; only the thread holding it
    polls the file lock, for another process.
    """
    key = str(lock_path.absolute())
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


def check_integration_name(name: str) -> str:
    """Return ``name`` if it can name a folder under ``specs/``, else raise StoreError."""
    if _NAME.fullmatch(name) and len(name) <= _NAME_MAX:
        return name
    if not name.strip():
        problem = "the integration name is empty"
    elif "/" in name or "\\" in name or ".." in name:
        problem = f"the integration name {name!r} may not contain slashes or '..'"
    else:
        problem = f"the integration name {name!r} is not a slug"
    hint = f"use lower-case ASCII letters, digits and dashes, at most {_NAME_MAX} characters"
    suggestion, unspelled = _suggested_name(name)
    if unspelled:
        shown = "".join(dict.fromkeys(unspelled))
        hint += f"; {shown!r} has no ASCII spelling, so choose the name yourself"
    elif suggestion and suggestion != name:
        hint += f", e.g. {suggestion!r}"
    elif name.strip():
        hint += f"; {name!r} has no letters or digits to make one from"
    raise StoreError(problem, hint=hint)


# Letters NFKD leaves whole that have a usual ASCII spelling.
_SPELLED = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i"}
)


def _suggested_name(name: str) -> tuple[str, list[str]]:
    """Return a slug spelled from ``name`` and the letters that have no ASCII spelling.

    Accents are dropped (``café`` gives ``cafe``, ``Zürich`` gives ``zurich``), anything
    not a letter or digit becomes a dash; a letter with no ASCII spelling (``日``) is
    never dropped silently: it is returned, and the slug is then not to be offered.
    """
    # Lower-cased after NFKD, which turns a bold or full-width capital into a plain one.
    folded = unicodedata.normalize("NFKD", name).lower().translate(_SPELLED)
    decomposed = unicodedata.normalize("NFKD", folded)
    spelled: list[str] = []
    unspelled: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if char.isascii():
            spelled.append(char if char.isalnum() else "-")
        elif unicodedata.category(char)[0] in "LN":
            unspelled.append(char)
        else:
            spelled.append("-")
    slug = re.sub(r"-+", "-", "".join(spelled)).strip("-")
    return slug[:_NAME_MAX].strip("-"), unspelled


class AnswerStore:
    """Load and save one interview's answers, atomically and under a lock.

    ``load`` and ``save`` take the lock for the call; ``session()`` holds it across
    many calls, for a whole interactive interview. One store is for one thread.
    """

    def __init__(self, path: Path | str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        self.lock_info_path = self.path.with_name(f".{self.path.name}.lock-info")
        self._lock = FileLock(self.lock_path, timeout=lock_timeout)
        self._thread_lock = _thread_lock(self.lock_path)
        self._held = False
        # Digest of the file as this store last read or wrote it: a save over a file
        # that changed since (edited by hand, say) would lose that change.
        self._known: str | None = None

    @property
    def revision(self) -> str | None:
        """The digest of the answers file as this store last read or wrote it
        (``sha256:...``), or None before it did: what a caller that read the answers
        names to say "change them only if nobody else has since"."""
        return self._known

    def exists(self) -> bool:
        """Return True if the answers file exists (a pipe or device in its place does,
        so that loading it says what is wrong rather than starting afresh)."""
        return self.path.exists()

    @contextmanager
    def session(self) -> Iterator[AnswerStore]:
        """Hold the lock until the block ends, so no other process can interleave."""
        self._make_directory()
        with self._locked():
            yield self

    def load(self) -> AnswerSheet:
        """Read and validate the answers; StoreError names the file and line of a fault.

        Where the lock cannot be taken for want of writing (a read-only checkout, a
        lock file committed read-only, a folder in the lock's place), the file is read
        without it: writes are renames, so a read sees the old file or the new one,
        whole. A lock held by another process is still waited for.
        """
        if not self.path.exists():
            raise self._missing()
        with self._locked(reading=True):
            return self._read()

    def save(self, sheet: AnswerSheet, *, force: bool = False) -> None:
        """Write ``sheet`` atomically.

        Raises StoreError, leaving the file untouched, if the file on disk does not load
        or changed since this store read it, unless ``force``; then the old file is
        first kept as ``interview.yaml.corrupt-<time>`` (or ``.replaced-<time>``).
        """
        data = render_sheet(sheet).encode("utf-8")
        self._make_directory()
        with self._locked():
            try:
                self._remove_leftovers()
                self._keep_or_refuse_old_file(force)
                write_atomically(self.path, data)
            except OSError as error:
                raise StoreError(
                    f"cannot write the answers file: {error.strerror}", path=self.path
                ) from None
            self._known = content_digest(data)

    def _make_directory(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the folder of the answers file: {error.strerror}", path=self.path
            ) from None

    def _read(self) -> AnswerSheet:
        if not self.path.exists():
            raise self._missing()
        try:
            raw, _ = read_regular_file(
                self.path,
                max_bytes=MAX_ANSWERS_BYTES,
                what="the answers file",
                hint="an interview's answers fit in far less; check what replaced the file",
            )
        except InputError as error:
            raise StoreError(error.message, path=self.path, hint=error.hint) from None
        sheet = parse_sheet(raw, self.path)
        self._known = content_digest(raw)
        return sheet

    def _keep_or_refuse_old_file(self, force: bool) -> None:
        if not self.path.exists():
            return
        try:
            raw, _ = read_regular_file(
                self.path, max_bytes=MAX_ANSWERS_BYTES, what="the answers file"
            )
        except InputError as error:
            raise StoreError(error.message, path=self.path, hint=error.hint) from None
        if content_digest(raw) == self._known:
            return
        try:
            _, edited = parse_sheet_allowing_edits(raw, self.path)
        except StoreError as error:
            if not force:
                raise StoreError(
                    f"refusing to overwrite an answers file that does not load: {error.message}",
                    path=self.path,
                    line=error.line,
                    hint="nothing was written; fix the file by hand (or restore it from "
                    "version control), then answer again",
                ) from None
            why = "corrupt"
        else:
            # A store that never read the file writes over it, unless it holds a hand edit.
            if self._known is None and edited is None:
                return
            if not force:
                raise StoreError(
                    "the answers file changed on disk since it was loaded"
                    if self._known is not None
                    else "the answers file was edited since Interlock wrote it",
                    path=self.path,
                    line=None if edited is None else edited.line,
                    hint="nothing was written, and the file on disk is kept as it is; "
                    + (
                        "start the interview again to load it, then give this answer again"
                        if self._known is not None
                        else "if the edit is meant, accept it by deleting 'sha256=...' from "
                        "the file's last line"
                    ),
                )
            why = "replaced"
        keep_copy(self.path, why, raw)

    def _remove_leftovers(self) -> None:
        # Temporary files of a writer that was killed; only the lock holder writes.
        prefix = f".{self.path.name}."
        for entry in self.path.parent.iterdir():
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with suppress(OSError):
                    entry.unlink()

    @contextmanager
    def _locked(self, *, reading: bool = False) -> Iterator[None]:
        """Hold the lock for the block; a read goes on without it where it cannot be had."""
        if self._held:
            yield
            return
        if not self._acquire(reading):
            # Writes are renames, so a read without the lock still sees a whole file.
            yield
            return
        self._held = True
        try:
            try:
                _write_lock_info(self.lock_info_path)
            except OSError as error:
                # The note only names the holder to a waiting process; a read does
                # without it where the folder cannot take one.
                if not reading:
                    raise StoreError(
                        f"cannot write the lock note: {error.strerror}", path=self.lock_info_path
                    ) from None
            yield
        finally:
            with suppress(OSError):
                self.lock_info_path.unlink()
            self._held = False
            try:
                self._lock.release()
            finally:
                self._thread_lock.release()

    def _acquire(self, reading: bool) -> bool:
        """Take the lock and return True; for a read, False if the file system refuses it.

        Another thread of this process holding it is waited for first, then another
        process, each for up to ``lock_timeout``.
        """
        wait = -1 if self.lock_timeout < 0 else self.lock_timeout  # negative: no limit
        if not self._thread_lock.acquire(timeout=wait):
            raise self._busy()
        acquired = False
        try:
            self._lock.acquire()
            acquired = True
        except Timeout:
            raise self._busy() from None
        except OSError as error:
            if reading:
                return False
            raise StoreError(
                f"cannot lock the answers file: {_why(error)}",
                path=self.lock_path,
                hint=_lock_hint(error),
            ) from None
        finally:
            if not acquired:
                self._thread_lock.release()
        return True

    def _busy(self) -> StoreError:
        return StoreError(
            f"the answers file is in use by {_describe_holder(self.lock_info_path)}",
            path=self.path,
            hint=f"waited {self.lock_timeout:g} s; finish or stop the other interview, "
            "and try again (the lock is released when that process exits)",
        )

    def _missing(self) -> StoreError:
        return StoreError(
            "no answers file yet", path=self.path, hint="start the interview to create it"
        )


def _why(error: OSError) -> str:
    return error.strerror or str(error)


def _lock_hint(error: OSError) -> str:
    if error.errno in _READ_ONLY_ERRORS:
        return (
            "answering writes the answers file and its lock, and this folder or its lock "
            "file is read-only; reading (interlock status, interview --next) works as it is"
        )
    if error.errno == errno.EISDIR:
        return "a folder stands where the lock file goes; remove it, and try again"
    return ""


def _write_lock_info(path: Path) -> None:
    try:
        user = getuser()
    except (KeyError, OSError):
        user = "unknown"
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "user": user,
        "since": format_timestamp(datetime.now(UTC).replace(microsecond=0)),
    }
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(info), encoding="utf-8")
    temp.replace(path)


def _describe_holder(info_path: Path) -> str:
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        pid, host, user, since = info["pid"], info["host"], info["user"], info["since"]
    except (OSError, ValueError, KeyError, TypeError):
        return "another process (it has not said which)"
    if host == socket.gethostname() and not _is_running(pid):
        # The note of a killed holder outlives it; the lock itself died with it.
        return f"another process (the note left by pid {pid} is stale: it has exited)"
    holder = (
        "this process" if (pid, host) == (os.getpid(), socket.gethostname()) else "another process"
    )
    return f"{holder}: pid {pid}, user {user} on host {host}, since {since}"


def _is_running(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":
        return True  # os.kill there would stop the process, not probe it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "INTERVIEW_FILE",
    "AnswerStore",
    "check_integration_name",
]
