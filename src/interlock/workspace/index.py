"""The id index of a workspace: each spec's id and traceability links, with lines.

Workspace rules (duplicate ids, dangling links, cycles) and the traceability graph
read these small records rather than whole documents, so a run over ten thousand
specs keeps only this in memory and a cached file need not be parsed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from interlock.documents.model import Document, DocumentKind, FrontMatter

Relation = Literal["parent", "dependencies", "related"]
RELATIONS: tuple[Relation, ...] = ("parent", "dependencies", "related")


class Link(NamedTuple):
    """One traceability link from a spec's front matter.

    A named tuple: a workspace of ten thousand specs holds tens of thousands of links,
    rebuilt from the cache on every run.
    """

    relation: Relation
    target: str
    line: int


@dataclass(frozen=True, slots=True)
class SpecEntry:
    """A spec's identity and outgoing links."""

    path: str
    """The document's path as the run shows it (POSIX separators): text, not a
    :class:`~pathlib.Path`, which costs several times the memory in a workspace of a
    hundred thousand specs."""
    id: str | None
    id_line: int
    kind: DocumentKind
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Workspace:
    """Every spec of one validation run."""

    entries: tuple[SpecEntry, ...]
    _by_id: dict[str, tuple[SpecEntry, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Tuples rather than lists: nearly every id has one entry, and a workspace of a
        # hundred thousand specs holds a hundred thousand of them.
        index: dict[str, tuple[SpecEntry, ...]] = {}
        twins: dict[str, list[SpecEntry]] = {}
        for entry in self.entries:
            if not entry.id:
                continue
            first = index.get(entry.id)
            if first is None:
                index[entry.id] = (entry,)
            else:
                twins.setdefault(entry.id, [*first]).append(entry)
        for spec_id, group in twins.items():
            index[spec_id] = tuple(group)
        object.__setattr__(self, "_by_id", index)

    def with_id(self, spec_id: str) -> tuple[SpecEntry, ...]:
        """Return every entry whose id is ``spec_id`` (more than one is a duplicate)."""
        return self._by_id.get(spec_id, ())

    def ids(self) -> Iterable[str]:
        """Return every id defined in the workspace."""
        return self._by_id.keys()


def entry_of(doc: Document) -> SpecEntry:
    """Extract the id and links of a parsed document."""
    return entry_from_front_matter(doc.path.as_posix(), doc.kind, doc.front_matter)


def entry_from_front_matter(path: str, kind: DocumentKind, front: FrontMatter | None) -> SpecEntry:
    """Extract the id and links from a document's front matter alone."""
    if front is None or front.error is not None:
        return SpecEntry(path, None, 1, kind)
    raw_id = front.data.get("id")
    spec_id = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else None
    links: list[Link] = []
    for relation in RELATIONS:
        value = front.data.get(relation)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                line = front.item_lines.get((relation, index), front.line_of(relation))
                links.append(Link(relation, item.strip(), line))
    return SpecEntry(path, spec_id, front.line_of("id"), kind, tuple(links))


__all__ = [
    "RELATIONS",
    "Link",
    "Relation",
    "SpecEntry",
    "Workspace",
    "entry_from_front_matter",
    "entry_of",
]
