"""The answers of one interview on disk: ``specs/<name>/interview.yaml``, written safely.

The file is meant to be read and diffed in a pull request, so it is block-style YAML
with keys in a fixed order and multi-line answers as literal blocks. Every write goes
to a temporary file that is flushed, synced and renamed over the old one, so a crash
leaves either the previous answers or the new ones, never a torn file. A lock next to
the file (with a small note saying who holds it) keeps two processes from interleaving
their answers, and a file that does not load is never written over without ``force``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from getpass import getuser
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout
from pydantic import ValidationError

from interlock.atomic_file import write_atomically
from interlock.errors import StoreError, YamlError
from interlock.interview.answers import Answer, AnswerSheet
from interlock.safe_yaml import YamlDocument, load_yaml

INTERVIEW_FILE = "interview.yaml"
DEFAULT_LOCK_TIMEOUT = 2.0
"""Seconds a second process waits for the lock before giving up."""

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME_MAX = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
# YAML readers turn these into "\n" (or fold them) in every style but double-quoted.
_FRAGILE_BREAKS = re.compile("[\x85\u2028\u2029]")
_READ_ONLY_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_FORMAT_HINT = "the format is described in docs/answers-file.md"


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
    suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:_NAME_MAX].strip("-")
    hint = f"use lower-case letters, digits and dashes, at most {_NAME_MAX} characters"
    if suggestion and suggestion != name:
        hint += f", e.g. {suggestion!r}"
    raise StoreError(problem, hint=hint)


def interview_path(workspace_root: Path | str, name: str) -> Path:
    """Return where the answers of integration ``name`` live in a workspace."""
    return Path(workspace_root) / "specs" / check_integration_name(name) / INTERVIEW_FILE


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
        self._held = False
        # Digest of the file as this store last read or wrote it: a save over a file
        # that changed since (edited by hand, say) would lose that change.
        self._known: str | None = None

    def exists(self) -> bool:
        """Return True if the answers file exists."""
        return self.path.is_file()

    @contextmanager
    def session(self) -> Iterator[AnswerStore]:
        """Hold the lock until the block ends, so no other process can interleave."""
        self._make_directory()
        with self._locked():
            yield self

    def load(self) -> AnswerSheet:
        """Read and validate the answers; StoreError names the file and line of a fault.

        In a folder where no lock file can be created (a read-only checkout), the file
        is read without the lock: writes are renames, so a read never sees half a file.
        """
        if not self.path.exists():
            raise self._missing()
        with self._locked(unless_read_only=True):
            return self._read()

    def save(self, sheet: AnswerSheet, *, force: bool = False) -> None:
        """Write ``sheet`` atomically.

        Raises StoreError, leaving the file untouched, if the file on disk does not load
        or changed since this store read it, unless ``force``; then the old file is
        first kept as ``interview.yaml.corrupt-<time>`` (or ``.replaced-<time>``).
        """
        data = _render(sheet).encode("utf-8")
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
            self._known = _digest(data)

    def _make_directory(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the folder of the answers file: {error.strerror}", path=self.path
            ) from None

    def _read(self) -> AnswerSheet:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise self._missing() from None
        except OSError as error:
            raise StoreError(
                f"cannot read the answers file: {error.strerror}", path=self.path
            ) from None
        sheet = _parse(raw, self.path)
        self._known = _digest(raw)
        return sheet

    def _keep_or_refuse_old_file(self, force: bool) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        if _digest(raw) == self._known:
            return
        try:
            _parse(raw, self.path)
        except StoreError as error:
            if not force:
                raise StoreError(
                    f"refusing to overwrite an answers file that does not load: {error.message}",
                    path=self.path,
                    line=error.line,
                    hint="fix it by hand, or save with force to keep it as "
                    f"{self.path.name}.corrupt-<time> and write over it",
                ) from None
            why = "corrupt"
        else:
            if self._known is None:
                return
            if not force:
                raise StoreError(
                    "the answers file changed on disk since it was loaded",
                    path=self.path,
                    hint="load it again and re-apply, or save with force to keep it as "
                    f"{self.path.name}.replaced-<time> and write over it",
                )
            why = "replaced"
        write_atomically(self._free_name(why), raw)

    def _free_name(self, why: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        candidate = self.path.with_name(f"{self.path.name}.{why}-{stamp}")
        number = 1
        while candidate.exists():
            number += 1
            candidate = self.path.with_name(f"{self.path.name}.{why}-{stamp}-{number}")
        return candidate

    def _remove_leftovers(self) -> None:
        # Temporary files of a writer that was killed; only the lock holder writes.
        prefix = f".{self.path.name}."
        for entry in self.path.parent.iterdir():
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with suppress(OSError):
                    entry.unlink()

    @contextmanager
    def _locked(self, *, unless_read_only: bool = False) -> Iterator[None]:
        if self._held:
            yield
            return
        if not self._acquire(unless_read_only):
            # A read-only checkout cannot hold a lock file; renames keep every read whole.
            yield
            return
        self._held = True
        try:
            try:
                _write_lock_info(self.lock_info_path)
            except OSError as error:
                raise StoreError(
                    f"cannot write the lock note: {error.strerror}", path=self.lock_info_path
                ) from None
            yield
        finally:
            with suppress(OSError):
                self.lock_info_path.unlink()
            self._held = False
            self._lock.release()

    def _acquire(self, unless_read_only: bool) -> bool:
        try:
            self._lock.acquire()
        except Timeout:
            raise self._busy() from None
        except OSError as error:
            if unless_read_only and error.errno in _READ_ONLY_ERRORS:
                return False
            raise StoreError(
                f"cannot lock the answers file: {error.strerror}", path=self.lock_path
            ) from None
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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_lock_info(path: Path) -> None:
    try:
        user = getuser()
    except (KeyError, OSError):
        user = "unknown"
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "user": user,
        "since": _timestamp(datetime.now(UTC).replace(microsecond=0)),
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


# --- the file format ----------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, never anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # The emitter falls back to double quotes with escapes when a block cannot hold the
    # text exactly (trailing spaces, tabs, control characters).
    style = '"' if _FRAGILE_BREAKS.search(text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_datetime(dumper: yaml.SafeDumper, moment: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", _timestamp(moment))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(datetime, _represent_datetime)


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _as_utc(moment: datetime) -> datetime:
    """Read a timestamp without a zone as UTC, which is what the file format says."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _render(sheet: AnswerSheet) -> str:
    """Return the YAML text of ``sheet``, verified to load back to the same answers."""
    for field in ("name", "template", "depth"):
        _refuse_surrogates(getattr(sheet, field), f"field {field!r}")
    data: dict[str, Any] = {
        "name": sheet.name,
        "template": sheet.template,
        "depth": sheet.depth,
        "created": _as_utc(sheet.created),
        "updated": _as_utc(sheet.updated),
        "answers": {key: _answer_data(key, answer) for key, answer in sheet.answers.items()},
    }
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=2**30,  # one line per paragraph: wrapped lines make noisy diffs
    )
    _verify(text, data)
    return text


def _answer_data(key: str, answer: Answer) -> dict[str, Any]:
    where = f"answer {key!r}"
    for text in (key, answer.reason, answer.owner, answer.by):
        _refuse_surrogates(text, where)
    # Defaults are left out, so that a plain answer reads as value, by and at.
    data: dict[str, Any] = {"value": _plain(answer.value, where)}
    if answer.skipped:
        data["skipped"] = True
    if answer.reason:
        data["reason"] = answer.reason
    if answer.owner:
        data["owner"] = answer.owner
    data["by"] = answer.by
    data["at"] = _as_utc(answer.at)
    return data


_SCALARS = (bool, int, float, str, date, datetime)


def _plain(value: Any, where: str) -> Any:
    """Return ``value`` as YAML data (tuples become lists), or refuse what YAML cannot hold."""
    if value is None or type(value) in _SCALARS:
        if isinstance(value, str):
            _refuse_surrogates(value, where)
        return value
    if isinstance(value, list | tuple):
        return [_plain(item, where) for item in value]
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if not (key is None or type(key) in _SCALARS):
                raise _unstorable(where, f"a mapping key of type {type(key).__name__}")
            plain[_plain(key, where)] = _plain(item, where)
        return plain
    raise _unstorable(where, f"a value of type {type(value).__name__}")


def _refuse_surrogates(text: str, where: str) -> None:
    found = _SURROGATE.search(text)
    if found:
        raise _unstorable(
            where,
            f"text that is not valid Unicode (U+{ord(found[0]):04X} at position {found.start()},"
            " probably bytes decoded with the wrong encoding)",
        )


def _unstorable(where: str, what: str) -> StoreError:
    return StoreError(
        f"{where} holds {what}, which the answers file cannot store",
        hint="answers may be text, numbers, booleans, null, dates, lists or mappings",
    )


def _verify(text: str, data: dict[str, Any]) -> None:
    """Refuse to write text that would not load back exactly: a written answer is kept."""
    try:
        loaded = load_yaml(text).value
    except YamlError as error:
        raise StoreError(f"the answers could not be written as YAML: {error.message}") from None
    if _same(loaded, data):
        return
    differing = [key for key in data if not _same(loaded.get(key), data[key])]
    if differing == ["answers"]:
        differing = [
            key
            for key, value in data["answers"].items()
            if not _same(loaded["answers"].get(key), value)
        ] or differing
    raise StoreError(
        f"YAML would not keep {', '.join(map(repr, differing))} exactly; nothing was written",
        hint="this is a bug in Interlock; please report it with the answer's text",
    )


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


def _parse(raw: bytes, path: Path) -> AnswerSheet:
    """Return the sheet in ``raw``; StoreError names the line of the first fault."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise StoreError(
            "the answers file is not UTF-8 text", path=path, line=line, hint="save it as UTF-8"
        ) from None
    try:
        document = load_yaml(text, path=path)
    except YamlError as error:
        raise StoreError(
            error.message, path=path, line=error.line, column=error.column, hint=_FORMAT_HINT
        ) from None
    if not isinstance(document.value, dict):
        found = "an empty file" if document.value is None else type(document.value).__name__
        raise StoreError(
            f"expected a mapping with name, template, depth, created, updated and answers;"
            f" found {found}",
            path=path,
            line=document.first_line,
            hint=_FORMAT_HINT,
        )
    try:
        sheet = AnswerSheet.model_validate(document.value, strict=True)
    except ValidationError as error:
        raise _schema_error(error, document, path) from None
    for key, answer in sheet.answers.items():
        try:
            _plain(answer.value, f"answer {key!r}")
        except StoreError as error:
            line = document.line_of(("answers", key, "value"))
            raise StoreError(error.message, path=path, line=line, hint=error.hint) from None
    answers = {
        key: answer.model_copy(update={"at": _as_utc(answer.at)})
        for key, answer in sheet.answers.items()
    }
    update = {"created": _as_utc(sheet.created), "updated": _as_utc(sheet.updated)}
    return sheet.model_copy(update={**update, "answers": answers})


def _schema_error(error: ValidationError, document: YamlDocument, path: Path) -> StoreError:
    problems = []
    for detail in error.errors():
        # YAML records mapping keys by their source text; "[key]" marks a bad key itself.
        where = tuple(str(part) for part in detail["loc"] if part != "[key]")
        field = ".".join(where) or "the file"
        if "[key]" in detail["loc"]:
            message = f"{field}: this key must be text; quote it ('{where[-1]}')"
        elif detail["type"] == "extra_forbidden":
            message = f"unknown field {field!r}"
        elif detail["type"] == "missing":
            message = f"missing field {field!r}"
        else:
            message = f"{field}: {detail['msg']}"
        problems.append((document.line_of(where), message))
    problems.sort(key=lambda problem: problem[0])
    line, message = problems[0]
    others = "".join(f"; line {other}: {text}" for other, text in problems[1:5])
    hint = _FORMAT_HINT
    if any("datetime" in detail["msg"] for detail in error.errors()):
        hint = "write timestamps unquoted, like 2024-05-01T09:30:00Z; " + hint
    return StoreError(message + others, path=path, line=line, hint=hint)


__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "INTERVIEW_FILE",
    "AnswerStore",
    "check_integration_name",
    "interview_path",
]
