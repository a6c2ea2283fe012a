"""Load an OpenAPI 3.0 / 3.1 or Swagger 2.0 description: read, parse, bundle, validate.

:func:`load_openapi` is the one entry point. It reads the document from a file or,
only when allowed, a URL (:mod:`~interlock.research.source`); parses it
(:mod:`~interlock.research.syntax`); checks that it is an OpenAPI document of a
version it knows; gathers the documents its references reach
(:mod:`~interlock.research.references`), reading other local files next to a local
document and fetching remote ones only when allowed; and validates the result with
the openapi-spec-validator package.

Validation is complete when every reference was resolved. When some were not (they
were never fetched), only the document's structure is checked against the OpenAPI
schema: the deeper checks would need what the references point to. Every problem is
an :class:`~interlock.errors.InputError` naming the document, line and what is wrong.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from interlock.errors import InputError, UsageError
from interlock.research.references import (
    Bundle,
    Resolver,
    Unresolved,
    bundle,
    check_references,
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

__all__ = ["OpenApiDocument", "load_openapi"]

_VALIDATOR_PACKAGE = "openapi-spec-validator"
_VALIDATORS = {
    "2.0": "OpenAPIV2SpecValidator",
    "3.0": "OpenAPIV30SpecValidator",
    "3.1": "OpenAPIV31SpecValidator",
    "3.2": "OpenAPIV32SpecValidator",
}
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?")
_MAX_DOCUMENTS = 100
_SHOWN_MESSAGE = 300


@dataclass(frozen=True, slots=True)
class OpenApiDocument:
    """A loaded, validated OpenAPI description, its references resolvable locally."""

    data: dict[str, Any]
    """The bundled document: other documents under ``x-interlock-bundled``."""
    version: str
    """The version as written: ``"2.0"``, ``"3.0.3"``, ``"3.1.0"``."""
    family: str
    """``"2.0"``, ``"3.0"``, ``"3.1"`` or ``"3.2"``."""
    shown: str
    """How notes and messages name the document: the path as given or the URL."""
    name: str
    """The document's file name."""
    unresolved: tuple[Unresolved, ...]
    fully_validated: bool
    """False when unresolved references limited validation to the structure."""
    documents: int
    """How many documents the description spans."""

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
) -> OpenApiDocument:
    """Read and validate the OpenAPI description at ``location`` (a path or a URL).

    Args:
        location: a file path, or an http(s) URL (fetched only if ``allow_remote``).
        allow_remote: fetch remote documents and references.
        max_bytes: the size limit of the documents together.
        timeout: seconds allowed for each remote document.
        references: a folder whose files a local document's references may read too,
            besides those of the document's own folder (which they always may).

    Raises:
        InputError: the document is missing, too large, malformed or not OpenAPI.
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
    check_references(bundled)
    fully = not bundled.unresolved
    _validate(bundled, family, fully=fully)
    return OpenApiDocument(
        data=bundled.data,
        version=version,
        family=family,
        shown=root.shown,
        name=root_source.name,
        unresolved=bundled.unresolved,
        fully_validated=fully,
        documents=len(bundled.parts),
    )


class _Budget:
    """The bytes left for the documents of one description."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.left = max_bytes

    def spend(self, source: Retrieved) -> None:
        self.left -= len(source.text.encode("utf-8"))
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
        own = None if self.root_is_remote else _local_path(root.uri).parent.resolve()
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
            target = _local_path(uri).resolve()
            if not any(target.is_relative_to(folder) for folder in self.folders):
                return "outside the document's folder; never read (see --references)"
        self.count += 1
        if self.count > _MAX_DOCUMENTS:
            return f"more than {_MAX_DOCUMENTS} documents; not read"
        try:
            if scheme == "file":
                path = _local_path(uri)
                source = read_local(path, max_bytes=self.budget.left, shown=str(path))
            else:
                source = read_remote(uri, max_bytes=self.budget.left, timeout=self.timeout)
            self.budget.spend(source)
            return parse_document(source)
        except InputError as error:
            return error.message


def _local_path(uri: str) -> Path:
    return Path(unquote(urlsplit(uri).path))


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
    match = _VERSION.fullmatch(version)
    family = f"{match[1]}.{match[2]}" if match else ""
    if family not in _VALIDATORS or (key == "swagger") != (family == "2.0"):
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


def _validate(bundled: Bundle, family: str, *, fully: bool) -> None:
    validators = _import("openapi_spec_validator")
    cls = getattr(validators, _VALIDATORS[family], None)
    if cls is None:
        raise UsageError(
            f"the installed {_VALIDATOR_PACKAGE} does not know OpenAPI {family}",
            hint=f"upgrade {_VALIDATOR_PACKAGE}",
        )
    paths = _import("jsonschema_path")
    schema_path = paths.SchemaPath.from_dict(bundled.data, handlers=_NEVER_FETCH)
    validator = cls(schema_path)
    errors: Iterable[Any] = (
        validator.iter_errors() if fully else validator.schema_validator.iter_errors(bundled.data)
    )
    try:
        first = next(iter(errors), None)
    except RecursionError:
        raise bundled.error(
            (), "the document nests too deeply to validate", hint="simplify its schemas"
        ) from None
    except Exception as error:  # the validator's own failures are many and untyped
        raise bundled.error((), f"the document cannot be validated: {_short(str(error))}") from None
    if first is not None:
        where, message = _explain(first)
        shown_path = " > ".join(str(part) for part in where) or "the document"
        raise bundled.error(
            where,
            f"invalid {family_label(family)} at {shown_path}: {message}",
            hint="fix the document, or ask its publisher for a valid one",
        )


def family_label(family: str) -> str:
    """Return ``Swagger 2.0`` or ``OpenAPI 3.x`` for a version family."""
    return "Swagger 2.0" if family == "2.0" else f"OpenAPI {family}"


def _refuse_fetch(uri: str) -> Any:
    raise LookupError(f"{uri} is not read during validation")


_NEVER_FETCH = {"http": _refuse_fetch, "https": _refuse_fetch, "file": _refuse_fetch}


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"reading OpenAPI documents needs the {_VALIDATOR_PACKAGE} package",
            hint=f"install it: pip install '{_VALIDATOR_PACKAGE}>=0.9,<0.10'",
        ) from None


def _explain(error: Any) -> tuple[tuple[str | int, ...], str]:
    """Return the most specific place of a validation error and what is expected there.

    The message is made from the specification's side only (the types, values and
    fields it asks for), never from the document's value: that value may come from a
    referenced file, and no message quotes a referenced file's content.
    """
    leaves = [leaf for leaf in _leaves(error) if leaf.validator != "$ref"]
    leaves = [leaf for leaf in leaves if "'$ref' is a required" not in leaf.message]
    if not leaves:
        return tuple(error.absolute_path), _expected(error)
    deepest = max(len(leaf.absolute_path) for leaf in leaves)
    chosen = [leaf for leaf in leaves if len(leaf.absolute_path) == deepest]
    where = tuple(chosen[0].absolute_path)
    if all(leaf.validator == "enum" for leaf in chosen):
        allowed = [value for leaf in chosen for value in leaf.validator_value]
        return where, _short(f"must be one of {', '.join(map(str, allowed))}")
    reasons = list(dict.fromkeys(_expected(leaf) for leaf in chosen))
    return where, _short("; or ".join(reasons[:3]))


def _expected(error: Any) -> str:
    """Say what the specification expects where ``error`` is, without the value found."""
    keyword, wanted, instance = error.validator, error.validator_value, error.instance
    if not isinstance(keyword, str):
        # Raised by the OpenAPI checks themselves, with only a message, which begins
        # with the value found ("'…' is not of type 'object'"): keep what follows it.
        said = _VALUE_FIRST.match(str(error.message))
        return f"the value found is {said['rest']}" if said else "is not valid here"
    if keyword == "type":
        kinds = [wanted] if isinstance(wanted, str) else list(wanted)
        return f"must be {' or '.join(_TYPE_NAMES.get(kind, kind) for kind in kinds)}"
    if keyword == "enum":
        return f"must be one of {', '.join(map(str, wanted))}"
    if keyword == "const":
        return f"must be {wanted}"
    if keyword == "required":
        present = instance if isinstance(instance, dict) else {}
        missing = [name for name in wanted if name not in present]
        return f"lacks the required field {', '.join(map(repr, missing or wanted))}"
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = sorted(str(name) for name in instance if name not in known)[:3]
        fields = f" ({', '.join(map(repr, extra))})" if extra else ""
        return f"has a field the specification does not allow{fields}"
    if keyword == "patternProperties":
        return "has a field name the specification does not allow"
    if keyword in _BOUNDS:
        return f"{_BOUNDS[keyword]} {wanted}"
    if keyword == "pattern":
        return f"must match the pattern {wanted}"
    if keyword == "format":
        return f"must be in the {wanted} format"
    if keyword in ("oneOf", "anyOf"):
        return "matches none of the shapes the specification allows here"
    if keyword == "not":
        return "has a shape the specification forbids here"
    return f"breaks the specification's {keyword!r} constraint"


_VALUE_FIRST = re.compile(r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+) is (?P<rest>.*)", re.S)
"""A message that starts with the repr of the value found, then what it is not."""
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_BOUNDS = {
    "minItems": "must have at least this many items:",
    "maxItems": "must have at most this many items:",
    "minLength": "must be at least this many characters long:",
    "maxLength": "must be at most this many characters long:",
    "minimum": "must be at least",
    "maximum": "must be at most",
    "exclusiveMinimum": "must be more than",
    "exclusiveMaximum": "must be less than",
    "minProperties": "must have at least this many fields:",
    "maxProperties": "must have at most this many fields:",
    "uniqueItems": "must not repeat an item:",
    "multipleOf": "must be a multiple of",
}


def _leaves(error: Any) -> Iterator[Any]:
    pending = [error]
    while pending:
        current = pending.pop()
        context = list(current.context or ())
        if context:
            pending.extend(reversed(context))
        else:
            yield current


def _short(message: str) -> str:
    one_line = " ".join(message.split())
    return one_line if len(one_line) <= _SHOWN_MESSAGE else one_line[: _SHOWN_MESSAGE - 1] + "…"
