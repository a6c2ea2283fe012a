"""Load an OpenAPI 3.0 / 3.1 or Swagger 2.0 description: read, parse, bundle, check.

:func:`load_openapi` is the one entry point. It reads the document from a file or,
only when allowed, a URL (:mod:`~interlock.research.source`); parses it
(:mod:`~interlock.research.syntax`); checks that it is an OpenAPI document of a
version it knows; gathers the documents its references reach
(:mod:`~interlock.research.references`), reading other local files next to a local
document and fetching remote ones only when allowed; and checks the result against the
OpenAPI JSON Schema (:mod:`~interlock.research.conformance`).

Research reads what it can. A document that cannot be read at all (missing, too
large, not YAML or JSON, not OpenAPI) is an :class:`~interlock.errors.InputError`
naming the document, line and what is wrong. A part that breaks the OpenAPI schema,
or a reference that is not followed, is a warning on the loaded document; with
``strict=True`` the first warning is an error instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from interlock.errors import InputError, UsageError
from interlock.research.conformance import (
    DocumentWarning,
    LoadedDocument,
    reference_problems,
    schema_problems,
    warnings_of,
)
from interlock.research.references import (
    MAX_DOCUMENTS,
    VERSION,
    Resolver,
    bundle,
    check_references,
    local_path,
)
from interlock.research.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Retrieved,
    failure,
    is_remote,
    read_local,
    read_remote,
    shown_url,
)
from interlock.research.syntax import Parsed, parse_document

__all__ = ["OpenApiDocument", "family_label", "load_openapi"]

_FAMILIES = frozenset({"2.0", "3.0", "3.1", "3.2"})


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenApiDocument(LoadedDocument):
    """A loaded OpenAPI description (``family`` ``"2.0"``, ``"3.0"``, ``"3.1"`` or
    ``"3.2"``), its references resolvable locally, and its warnings."""

    fully_validated: bool
    """False when some references were not followed, so parts were never checked."""

    @property
    def resolver(self) -> Resolver:
        """Return a resolver of the document's references."""
        return Resolver(self.data)

    @property
    def label(self) -> str:
        """Return ``OpenAPI 3.1.0`` or ``Swagger 2.0``."""
        return f"Swagger {self.version}" if self.family == "2.0" else f"OpenAPI {self.version}"


def load_openapi(
    location: str,
    *,
    allow_remote: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    references: Path | None = None,
    strict: bool = False,
) -> OpenApiDocument:
    """Read and check the OpenAPI description at ``location`` (a path or a URL).

    Args:
        location: a file path, or an http(s) URL (fetched only if ``allow_remote``).
        allow_remote: fetch remote documents and references.
        max_bytes: the size limit of the documents together.
        timeout: seconds allowed for each remote document.
        references: a folder whose files a local document's references may read too,
            besides those of the document's own folder (which they always may).
        strict: refuse a document with any warning, instead of reading what it can.

    Raises:
        InputError: the document is missing, too large, malformed or not OpenAPI; or,
            when ``strict``, it has a warning.
        UsageError: a URL without ``allow_remote``, or the validator is not installed.
    """
    budget = _Budget(max_bytes)
    if is_remote(location):
        if not allow_remote:
            raise UsageError(
                f"{shown_url(location)}: refusing to fetch a remote document",
                hint="pass --allow-remote to fetch it, or download it and pass the file",
            )
        root_source = read_remote(location, max_bytes=max_bytes, timeout=timeout)
    else:
        root_source = read_local(Path(location), max_bytes=max_bytes)
    budget.spend(root_source)
    root = parse_document(root_source)
    version, family = _version(root)
    loader = _ReferenceLoader(root_source, allow_remote, budget, timeout, references)
    bundled = bundle(root, loader)
    unresolved = bundled.unresolved + check_references(bundled)
    problems = schema_problems(bundled, family) + reference_problems(unresolved)
    warnings, total = warnings_of(problems, bundled)
    if strict and warnings:
        raise _refusal(warnings[0], total, family)
    return OpenApiDocument(
        data=bundled.data,
        version=version,
        family=family,
        shown=root.shown,
        name=root_source.name,
        unresolved=unresolved,
        fully_validated=not unresolved,
        documents=len(bundled.parts),
        warnings=warnings,
        warnings_total=total,
    )


def _refusal(first: DocumentWarning, total: int, family: str) -> InputError:
    others = total - 1
    more = f" ({others} more {'problem' if others == 1 else 'problems'} besides)" if others else ""
    return failure(
        first.document,
        f"invalid {family_label(family)} at {first.shown_pointer}: {first.message}{more}",
        line=first.line,
        column=first.column,
        hint="fix the document, or ask its publisher for a valid one; "
        "without --strict, research reads what it can and lists the problems",
    )


class _Budget:
    """The bytes left for the documents of one description."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.left = max_bytes

    def spend(self, source: Retrieved) -> None:
        self.left -= source.size
        if self.left < 0:
            raise failure(
                source.shown,
                f"the description's documents together exceed the limit of "
                f"{self.max_bytes / (1024 * 1024):.1f} MiB",
                hint="raise the limit with --max-size MiB if the documents are trusted",
            )


class _ReferenceLoader:
    """Decides which referenced documents are read, and reads them."""

    def __init__(
        self,
        root: Retrieved,
        allow_remote: bool,
        budget: _Budget,
        timeout: float,
        references: Path | None = None,
    ) -> None:
        self.root_is_remote = is_remote(root.uri)
        # A vendor's document is untrusted: its references may read files of its own
        # folder (and of one the person names), never elsewhere (an SSH key,
        # ~/.git-credentials), however written.
        own = None if self.root_is_remote else local_path(root.uri).parent.resolve()
        self.folders = tuple(folder.resolve() for folder in (own, references) if folder is not None)
        self.allow_remote = allow_remote
        self.budget = budget
        self.timeout = timeout
        self.count = 1

    def __call__(self, uri: str) -> Parsed | str:
        scheme = urlsplit(uri).scheme.lower()
        if scheme in ("http", "https"):
            if not self.allow_remote:
                return "remote; not fetched without --allow-remote"
        elif scheme == "file":
            if self.root_is_remote:
                # A fetched document must not make us read files of this machine.
                return "a local file named by a remote document; never read"
        else:
            return f"the {scheme or 'unknown'} scheme is not supported"
        if scheme == "file" and not self.root_is_remote:
            target = local_path(uri).resolve()
            if not any(target.is_relative_to(folder) for folder in self.folders):
                return "outside the document's folder; never read (see --references)"
        self.count += 1
        if self.count > MAX_DOCUMENTS:
            return f"more than {MAX_DOCUMENTS} documents; not read"
        try:
            if scheme == "file":
                path = local_path(uri)
                source = read_local(path, max_bytes=self.budget.left, shown=str(path))
            else:
                source = read_remote(uri, max_bytes=self.budget.left, timeout=self.timeout)
            self.budget.spend(source)
            return parse_document(source)
        except InputError as error:
            return error.message


def _version(root: Parsed) -> tuple[str, str]:
    data = root.value
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {type(data).__name__}"
        raise failure(
            root.shown,
            f"not an OpenAPI document: expected a mapping, found {found}",
            line=1,
            hint="pass an OpenAPI 3.x or Swagger 2.0 document (YAML or JSON)",
        )
    key = "swagger" if "swagger" in data else "openapi"
    written = data.get(key)
    if written is None:
        raise failure(
            root.shown,
            "not an OpenAPI document: it has no 'openapi' or 'swagger' field",
            line=1,
            hint="pass an OpenAPI 3.x or Swagger 2.0 document (YAML or JSON)",
        )
    version = str(written)
    match = VERSION.fullmatch(version)
    family = f"{match[1]}.{match[2]}" if match else ""
    if family not in _FAMILIES or (key == "swagger") != (family == "2.0"):
        raise failure(
            root.shown,
            f"unsupported version {key}: {version!r}",
            line=root.line_of((key,)),
            hint="Interlock reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 documents",
        )
    if not isinstance(written, str):
        raise failure(
            root.shown,
            f"the {key} version must be text; write {key}: '{version}'",
            line=root.line_of((key,)),
        )
    return version, family


def family_label(family: str) -> str:
    """Return ``Swagger 2.0`` or ``OpenAPI 3.x`` for a version family."""
    return "Swagger 2.0" if family == "2.0" else f"OpenAPI {family}"
