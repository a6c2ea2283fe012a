"""The ``$ref``\\ s of an OpenAPI description: bundled into one document, checked, followed.

An OpenAPI description may span several documents. :func:`bundle` gathers them into
one: each document a reference points to is asked of a loader (which decides what
may be read or fetched), placed under the root's ``x-interlock-bundled`` key, and
every reference is rewritten to point inside the root. What follows, the validator
included, then never reads or fetches anything. A reference the loader refuses
(a remote document without ``--allow-remote``, a missing file), one to an anchor
(``#pet``) and one to a schema's ``$id`` stay as written and are listed as
:class:`Unresolved`.

Recursive schemas are fine: nothing here expands a reference, and :class:`Resolver`
follows a chain of references with a record of where it has been. A chain that only
points back at itself (``A: {$ref: B}``, ``B: {$ref: A}``) describes nothing, and
:func:`check_references` lists it, like a reference to nothing, as unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from interlock.research.source import failure, is_remote
from interlock.research.syntax import Parsed
from interlock.safe_yaml import PathKey

__all__ = [
    "BUNDLE_KEY",
    "MAX_DOCUMENTS",
    "VERSION",
    "Bundle",
    "Resolver",
    "Unresolved",
    "bundle",
    "check_references",
    "local_path",
    "unresolved_line",
]

BUNDLE_KEY = "x-interlock-bundled"
"""The root key under which the other documents of a description are placed."""
MAX_DOCUMENTS = 100
"""The most documents one description may gather through its references."""
VERSION = re.compile(r"(\d+)\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?")
"""A version field: major, minor, an optional patch and pre-release."""

Loader = Callable[[str], "Parsed | str"]
"""Returns the parsed document at a URI, or the reason it is not read."""

# Values under these keys are literal data, where ``$ref`` is just a key; unless the
# mapping holding them names its entries (a property may be called ``default``).
_LITERAL_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})
_NAMED_ENTRIES = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "dependentSchemas",
        "schemas",
        "parameters",
        "responses",
        "securitySchemes",
        "securityDefinitions",
        "headers",
        "requestBodies",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "content",
        "encoding",
        "examples",
    }
)


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A reference that was not followed, and why."""

    ref: str
    """The reference as written."""
    reason: str
    shown: str
    """The document holding the reference."""
    line: int | None
    path: PathKey = ()
    """Where the ``$ref`` key is in the bundled data."""


@dataclass(frozen=True, slots=True)
class Bundle:
    """One self-contained document made of a description's documents."""

    data: dict[str, Any]
    parts: tuple[Parsed, ...]
    """The root document first, then each document placed under ``BUNDLE_KEY``."""
    unresolved: tuple[Unresolved, ...]
    written: dict[PathKey, str]
    """The reference at each rewritten place, as its document wrote it."""

    def place(self, path: PathKey) -> tuple[Parsed, PathKey]:
        """Return the document that holds ``path`` of the bundled data, and its path there."""
        if len(path) >= 2 and path[0] == BUNDLE_KEY and str(path[1]).isdigit():
            index = int(path[1])
            if 0 < index < len(self.parts):
                return self.parts[index], path[2:]
        return self.parts[0], path

    def locate(self, path: PathKey) -> tuple[str, int | None]:
        """Return the document and line that hold ``path`` of the bundled data."""
        part, own = self.place(path)
        return part.shown, part.line_of(own)


def bundle(root: Parsed, load: Loader) -> Bundle:
    """Gather ``root`` and every document its references reach into one :class:`Bundle`."""
    if not isinstance(root.value, dict):
        raise failure(root.shown, "the document is not a mapping", line=1)
    parts: list[Parsed] = [root]
    index_of: dict[str, int] = {_document_uri(root.uri): 0}
    refused: dict[str, str] = {}
    identified = _identifiers(root)
    unresolved: list[Unresolved] = []
    written: dict[PathKey, str] = {}
    pending = [0]
    while pending:
        number = pending.pop()
        part = parts[number]
        prefix: PathKey = (BUNDLE_KEY, str(number)) if number else ()
        own = _document_uri(part.uri)
        for where, holder, ref in list(_references(part.value)):
            if ref.startswith("#"):
                document, fragment = own, ref[1:]  # the common case, without urljoin
            else:
                document, fragment = urldefrag(urljoin(part.uri, ref))
            index = index_of.get(document)
            if index is None and document in identified:
                refused[document] = "points to a schema by its $id, which is not followed"
            if index is None and document not in refused:
                loaded = load(document)
                if isinstance(loaded, str):
                    refused[document] = loaded
                else:
                    parts.append(loaded)
                    index = index_of[document] = len(parts) - 1
                    pending.append(index)
            reason = refused.get(document) if index is None else _fragment_problem(fragment)
            if reason is not None:
                line = part.line_of((*where, "$ref"))
                place = (*prefix, *where, "$ref")
                unresolved.append(Unresolved(ref, reason, part.shown, line, place))
                continue
            holder["$ref"] = "#" + (f"/{BUNDLE_KEY}/{index}" if index else "") + fragment
            written[(*prefix, *where)] = ref
    data = dict(root.value)
    if len(parts) > 1:
        data[BUNDLE_KEY] = {str(number): part.value for number, part in enumerate(parts) if number}
    return Bundle(data, tuple(parts), tuple(unresolved), written)


def check_references(bundled: Bundle) -> tuple[Unresolved, ...]:
    """Return the references that point to nothing, or start a chain that loops."""
    resolver = Resolver(bundled.data)
    broken: list[Unresolved] = []
    for where, ref in bundled.written.items():
        try:
            resolver.follow(ref_at(bundled.data, where))
        except _BrokenReference as problem:
            place = (*where, "$ref")
            shown, line = bundled.locate(place)
            reason = problem.problem.partition(": ")[0]  # without the chain's references
            broken.append(Unresolved(ref, reason, shown, line, place))
    return tuple(broken)


def ref_at(data: Any, where: PathKey) -> str:
    """Return the (rewritten) reference held at ``where``."""
    node = data
    for part in where:
        node = node[part]
    return str(node["$ref"])


class _BrokenReference(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class Resolver:
    """Follows the local references of a bundled document."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def deref(self, node: Any) -> Any:
        """Return what ``node`` stands for: itself, or the end of its reference chain.

        ``None`` when the chain ends at a reference that was not resolved.
        """
        if not _is_reference(node):
            return node
        try:
            return self.follow(node["$ref"])
        except _BrokenReference:
            return None

    def follow(self, ref: str) -> Any:
        """Return the end of the chain of references starting at ``ref``."""
        seen: list[str] = []
        while True:
            if not ref.startswith("#"):
                raise _BrokenReference("was not resolved")
            if ref in seen:
                chain = " -> ".join([*seen, ref])
                raise _BrokenReference(f"is a loop of references that never ends: {chain}")
            seen.append(ref)
            node = self.pointer(ref[1:])
            if not _is_reference(node):
                return node
            ref = node["$ref"]

    def pointer(self, fragment: str) -> Any:
        """Return the value at JSON pointer ``fragment`` (percent-encoded, as in a URI)."""
        node = self.data
        if not fragment:
            return node
        for raw in unquote(fragment).split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif (
                isinstance(node, list)
                and token.isascii()
                and token.isdigit()
                and int(token) < len(node)
            ):
                node = node[int(token)]
            else:
                raise _BrokenReference("points to nothing in the document")
        return node


def _is_reference(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def _document_uri(uri: str) -> str:
    return urldefrag(uri)[0]


def _identifiers(root: Parsed) -> frozenset[str]:
    """Return the absolute URIs that the ``$id`` of a schema of ``root`` gives it.

    A reference to one of them names that schema, not a document to read.
    """
    found: set[str] = set()
    if "$id" not in root.source.text:
        return frozenset()  # the walk below would cost a tenth of a second on 10 MB
    pending: list[Any] = [root.value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            identifier = node.get("$id")
            if isinstance(identifier, str) and identifier:
                found.add(_document_uri(urljoin(root.uri, identifier)))
            pending.extend(child for child in node.values() if isinstance(child, dict | list))
        elif isinstance(node, list):
            pending.extend(child for child in node if isinstance(child, dict | list))
    return frozenset(found)


def _fragment_problem(fragment: str) -> str | None:
    if fragment and not fragment.startswith("/"):
        return "points to an anchor, which is not followed"
    return None


def _references(value: Any) -> Iterator[tuple[PathKey, dict[str, Any], str]]:
    """Yield the place, holder and text of every ``$ref`` in ``value``, without recursion."""
    pending: list[tuple[PathKey, Any, bool]] = [((), value, False)]
    while pending:
        where, node, literal = pending.pop()
        if literal:
            continue
        children: list[tuple[PathKey, Any, bool]] = []
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield where, node, ref
            named = bool(where) and where[-1] in _NAMED_ENTRIES
            for key, child in node.items():
                if isinstance(child, dict | list):
                    skip = not named and key in _LITERAL_KEYS and _is_literal(key, child)
                    children.append(((*where, key), child, skip))
        elif isinstance(node, list):
            children = [
                ((*where, index), child, False)
                for index, child in enumerate(node)
                if isinstance(child, dict | list)
            ]
        # Reversed onto the stack, so that references come in the document's order.
        pending.extend(reversed(children))


def _is_literal(key: str, child: Any) -> bool:
    # A 3.x ``examples`` mapping holds Example objects, which may be references.
    return not (key == "examples" and isinstance(child, dict))


def local_path(uri: str) -> Path:
    """Return the file a ``file:`` URI names."""
    return Path(unquote(urlsplit(uri).path))


def unresolved_line(item: Unresolved, *, root: str, source: str) -> str:
    """Return ``REF (FILE, line N): why`` for a note, the root document named ``source``
    and any other by its URL or file name: never by a path of this machine."""
    if item.shown == root:
        name = source
    else:
        name = item.shown if is_remote(item.shown) else PurePath(item.shown).name
    line = f", line {item.line}" if item.line is not None else ""
    return f"{item.ref} ({name}{line}): {item.reason}"
