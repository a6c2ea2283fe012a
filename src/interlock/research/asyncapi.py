"""Read an AsyncAPI document (3.x, 2.x; 1.x as best effort) into event facts and a note.

Queue, stream and webhook systems (Kafka, AMQP, MQTT, WebSocket services, Slack's
Events API) describe themselves in AsyncAPI rather than OpenAPI. This module holds the
entry points and the loading. :func:`load_asyncapi` reads such a document from a local
file (never a URL), checks its version and gathers what its ``$ref``\\ s reach, with the
OpenAPI reader's rules (:mod:`~interlock.research.references`): other files only inside
the document's own folder, or one the person names. :func:`extract_events` turns it
into :class:`~interlock.research.event_facts.EventResearch` (read by
:mod:`~interlock.research.event_reader` and :mod:`~interlock.research.event_operations`),
and :func:`render_event_note` (from :mod:`~interlock.research.event_note`) into a
research note with the OpenAPI note's sections.

There is no maintained Python package of the AsyncAPI JSON Schemas, so the document is
not validated against them: the parts research needs are checked as they are read, and
each part it cannot read is a warning (its JSON pointer and what AsyncAPI expects
there), never an error. Direction follows the specification: in 1.x and 2.x a
``subscribe`` operation is one where the system *sends* messages its clients receive,
and ``publish`` one where it receives them; 3.x says ``send`` and ``receive``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from interlock.errors import InputError, UsageError
from interlock.research.conformance import (
    LoadedDocument,
    Problem,
    reference_problems,
    warnings_of,
)
from interlock.research.event_constraints import binding_constraints
from interlock.research.event_facts import EventResearch
from interlock.research.event_gaps import find_event_gaps
from interlock.research.event_note import EVENT_TEMPLATE, render_event_note
from interlock.research.event_operations import read_operations
from interlock.research.event_reader import EventReader
from interlock.research.event_security import describe_event_scheme
from interlock.research.references import (
    MAX_DOCUMENTS,
    VERSION,
    bundle,
    check_references,
    local_path,
    unresolved_line,
)
from interlock.research.source import (
    DEFAULT_MAX_BYTES,
    Retrieved,
    failure,
    is_remote,
    read_local,
    shown_url,
)
from interlock.research.syntax import Parsed, parse_document

# The note's template and renderer, and the schemes' words, are re-exported so that
# callers import every AsyncAPI entry point from this one module.
__all__ = [
    "EVENT_TEMPLATE",
    "AsyncApiDocument",
    "describe_event_scheme",
    "extract_events",
    "load_asyncapi",
    "render_event_note",
]

_FAMILIES = frozenset({"1", "2", "3"})


@dataclass(frozen=True, slots=True, kw_only=True)
class AsyncApiDocument(LoadedDocument):
    """A loaded AsyncAPI document (``family`` ``"1"``, ``"2"`` or ``"3"``), its
    references resolvable locally, and its warnings."""

    @property
    def label(self) -> str:
        """Return ``AsyncAPI 2.6.0``."""
        return f"AsyncAPI {self.version}"


def load_asyncapi(
    location: str, *, max_bytes: int = DEFAULT_MAX_BYTES, references: Path | None = None
) -> AsyncApiDocument:
    """Read the AsyncAPI document in the file ``location``.

    Args:
        location: a file path; remote documents are downloaded by the person first.
        max_bytes: the size limit of the document and the files it references, together.
        references: a folder whose files the document's references may read too,
            besides those of the document's own folder.

    Raises:
        InputError: the file is missing, too large, malformed, not AsyncAPI, or of a
            version Interlock does not read.
        UsageError: ``location`` is a URL.
    """
    if is_remote(location):
        raise UsageError(
            f"{shown_url(location)}: remote AsyncAPI documents must be downloaded first",
            hint="download the document and pass the file",
        )
    source = read_local(Path(location), max_bytes=max_bytes)
    root = parse_document(source)
    version, family = _version(root)
    bundled = bundle(root, _LocalLoader(source, max_bytes - source.size, references))
    unresolved = bundled.unresolved + check_references(bundled)
    problems: list[Problem] = []
    if family == "1":
        problems.append((("asyncapi",), "AsyncAPI 1.x is old; read as well as it can be"))
    problems += _problems(bundled.data, family)
    problems += reference_problems(unresolved)
    warnings, total = warnings_of(problems, bundled)
    return AsyncApiDocument(
        data=bundled.data,
        version=version,
        family=family,
        shown=root.shown,
        name=source.name,
        unresolved=unresolved,
        documents=len(bundled.parts),
        warnings=warnings,
        warnings_total=total,
    )


def _version(root: Parsed) -> tuple[str, str]:
    data = root.value
    hint = "pass an AsyncAPI 3.x or 2.x document (YAML or JSON)"
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {type(data).__name__}"
        raise failure(
            root.shown, f"not an AsyncAPI document: expected a mapping, found {found}", line=1
        )
    written = data.get("asyncapi")
    if written is None:
        if "openapi" in data or "swagger" in data:
            hint = "this is an OpenAPI document: pass it with --openapi"
        raise failure(
            root.shown, "not an AsyncAPI document: it has no 'asyncapi' field", line=1, hint=hint
        )
    version = str(written)
    match = VERSION.fullmatch(version)
    if match is None or match[1] not in _FAMILIES:
        raise failure(
            root.shown,
            f"unsupported version asyncapi: {version!r}",
            line=root.line_of(("asyncapi",)),
            hint="Interlock reads AsyncAPI 3.x and 2.x documents, and 1.x as best effort",
        )
    if not isinstance(written, str):
        raise failure(
            root.shown,
            f"the asyncapi version must be text; write asyncapi: '{version}'",
            line=root.line_of(("asyncapi",)),
        )
    return version, match[1]


class _LocalLoader:
    """Reads the local files a document's references name, inside the allowed folders."""

    def __init__(self, root: Retrieved, budget: int, references: Path | None) -> None:
        own = local_path(root.uri).parent.resolve()
        self.folders = tuple(f.resolve() for f in (own, references) if f is not None)
        self.base = own
        self.budget = budget
        self.count = 1

    def __call__(self, uri: str) -> Parsed | str:
        scheme = urlsplit(uri).scheme.lower()
        if scheme in ("http", "https"):
            return "remote; remote AsyncAPI references are never fetched"
        if scheme != "file":
            return f"the {scheme or 'unknown'} scheme is not supported"
        # A vendor's document is untrusted: it may not make us read this machine's files.
        target = local_path(uri).resolve()
        if not any(target.is_relative_to(folder) for folder in self.folders):
            return "outside the document's folder; never read (see --references)"
        self.count += 1
        if self.count > MAX_DOCUMENTS:
            return f"more than {MAX_DOCUMENTS} documents; not read"
        shown = str(target.relative_to(self.base)) if target.is_relative_to(self.base) else ""
        try:
            source = read_local(target, max_bytes=self.budget, shown=shown or target.name)
            self.budget -= source.size
            return parse_document(source)
        except InputError as error:
            return error.message


def extract_events(
    document: AsyncApiDocument, *, system_name: str | None = None, source: str | None = None
) -> EventResearch:
    """Return the facts of ``document``.

    Args:
        document: the loaded document.
        system_name: what the interview calls the system; the document's title if None.
        source: how the note names the document; its path as given if None.
    """
    reader = EventReader(document.data, document.family)
    system = reader.system(
        system_name, source or document.shown, file_name=document.name, spec=document.label
    )
    servers = tuple(reader.servers())
    channels = tuple(reader.channels())
    operations = tuple(read_operations(reader))
    auth = tuple(reader.schemes(servers, operations))
    unresolved = tuple(
        unresolved_line(item, root=document.shown, source=system.source)
        for item in document.unresolved
    )
    constraints = tuple(binding_constraints(servers, channels, operations))
    return EventResearch(
        system=system,
        servers=servers,
        auth=auth,
        channels=channels,
        operations=operations,
        constraints=constraints,
        gaps=find_event_gaps(system, servers, auth, operations, unresolved),
        unresolved=unresolved,
        warnings=document.warnings,
        warnings_total=document.warnings_total,
    )


def _problems(data: dict[str, Any], family: str) -> list[Problem]:
    """Return the parts of the document that cannot be read as AsyncAPI describes them."""
    reader = EventReader(data, family)
    reader.check_required()
    list(reader.servers())
    list(reader.channels())
    list(read_operations(reader))
    list(reader.schemes((), ()))
    return reader.problems
