"""The snapshot of a research run: what was read from a document, as stable JSON.

Next to each system's note, ``specs/NAME/research/<system>.json`` records the facts
the note was rendered from (the system, servers, security schemes, operations,
webhooks, constraints), so that a later run can be compared with it and other tools
can read it without parsing Markdown. It is written to diff well: keys sorted, one
value per line, no timestamps, and the same facts always give the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from interlock.errors import InputError
from interlock.interview.views import Suggestion
from interlock.regular_file import read_regular_text
from interlock.research.event_facts import EventResearch
from interlock.research.facts import Research
from interlock.research.prefill import ENDPOINTS_QUESTION, proposed_values

__all__ = [
    "SNAPSHOT_FORMAT",
    "SnapshotSummary",
    "read_snapshot_text",
    "read_summary",
    "snapshot_text",
    "suggestions_of",
]

SNAPSHOT_FORMAT = 1
_MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
_LEFT_OUT = frozenset({"gaps", "fully_validated", "warnings", "warnings_total"})
"""Facts about the run, not about the system: a gap is a question for the interview,
a warning a fault of the document's text."""


def snapshot_text(research: Research | EventResearch) -> str:
    """Return the snapshot of ``research`` (an OpenAPI or an AsyncAPI document's facts)
    as JSON text ending with a newline."""
    facts = {
        field.name: _plain(getattr(research, field.name))
        for field in dataclasses.fields(research)
        if field.name not in _LEFT_OUT
    }
    payload = {"format": SNAPSHOT_FORMAT, **facts}
    if isinstance(research, Research):
        payload["proposed"] = proposed_values(research)
    return json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@dataclasses.dataclass(frozen=True, slots=True)
class SnapshotSummary:
    """What ``interlock status`` shows of one researched system."""

    key: str
    """The file name's stem: the system's entity key (``stripe``)."""
    name: str
    title: str
    version: str
    source: str
    operations: int
    webhooks: int
    servers: tuple[str, ...]
    """Base URLs, each with its environment in brackets when the document names one."""

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as ``status --json`` prints it."""
        return {**dataclasses.asdict(self), "servers": list(self.servers)}


def read_snapshot_text(path: Path) -> str:
    """Return the text of the snapshot at ``path``, read as a regular file under a cap.

    Raises:
        InputError: the file cannot be read.
    """
    return read_regular_text(path, max_bytes=_MAX_SNAPSHOT_BYTES, what="research snapshot")


def suggestions_of(path: Path, source: str) -> dict[str, tuple[Suggestion, ...]]:
    """Return what the snapshot at ``path`` proposes, by question id without its entity.

    The endpoints question gets every operation, ``METHOD /path — summary`` (the form
    of an endpoints answer) with its tags; the others what research proposed for them
    (the way to authenticate, a sandbox). ``source`` names the note they come from. A
    snapshot that cannot be read proposes nothing.
    """
    try:
        data = json.loads(read_snapshot_text(path))
    except (InputError, ValueError, RecursionError):
        return {}
    if not isinstance(data, Mapping):
        return {}
    found = {ENDPOINTS_QUESTION: _operations_of(data, source)}
    proposed = data.get("proposed")
    for question, value in proposed.items() if isinstance(proposed, Mapping) else ():
        found[str(question)] = (Suggestion(str(value), source),)
    return found


def _operations_of(data: Mapping[str, Any], source: str) -> tuple[Suggestion, ...]:
    operations = data.get("operations")
    suggestions = []
    for operation in operations if isinstance(operations, list) else []:
        if not isinstance(operation, Mapping) or not operation.get("path"):
            continue
        label = f"{operation.get('method', '')} {operation['path']}"
        summary = str(operation.get("summary") or "")
        tags = operation.get("tags")
        suggestions.append(
            Suggestion(
                f"{label} — {summary}" if summary else label,
                source,
                tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
            )
        )
    return tuple(suggestions)


def read_summary(path: Path) -> SnapshotSummary:
    """Read the summary of the snapshot at ``path``.

    Raises:
        InputError: the file cannot be read, is not JSON, or is not a snapshot.
    """
    text = read_snapshot_text(path)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InputError(f"the research snapshot is not JSON: {error}", path=path) from None
    system = data.get("system") if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(system, Mapping):
        raise InputError("this is not a research snapshot (no 'system')", path=path)
    servers = data.get("servers")
    return SnapshotSummary(
        key=path.stem,
        name=str(system.get("name", "")),
        title=str(system.get("title", "")),
        version=str(system.get("version", "")),
        source=str(system.get("source", "")),
        operations=_count(data.get("operations")),
        webhooks=_count(data.get("webhooks")),
        servers=tuple(
            _server(server)
            for server in (servers if isinstance(servers, list) else [])
            if isinstance(server, Mapping) and server.get("url")
        ),
    )


def _server(server: Mapping[str, Any]) -> str:
    """``https://api.example.com/v1``, with ``(sandbox)`` when its environment is known."""
    environment = server.get("environment")
    url = str(server["url"])
    return f"{url} ({environment})" if environment else url


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def _plain(value: Any) -> Any:
    """Turn frozen dataclasses and tuples into JSON values, field by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    return value
