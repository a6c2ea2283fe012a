"""The traceability graph of a workspace: specs as nodes, front-matter links as edges.

:func:`build_graph` turns the id index (:class:`~interlock.workspace.index.Workspace`)
into a :class:`Graph`: one node per defined id, one edge per ``parent``,
``dependencies`` or ``related`` link of a spec that has an id. The graph answers the
questions traceability rules and the ``interlock graph`` command ask: which links name
an id nobody defines (:meth:`Graph.dangling`) and which specs depend on each other in a
circle (:meth:`Graph.cycles`). Cycle finding uses Tarjan's strongly connected
components with an explicit stack, so a chain of ten thousand specs cannot exhaust
Python's recursion limit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from interlock.workspace.index import Relation, Workspace


class Node(NamedTuple):
    """A spec id and the document that defines it."""

    id: str
    path: str
    """The first document with this id; a second one is a duplicate-id finding."""
    line: int
    """Line of the ``id`` field in that document."""


class Edge(NamedTuple):
    """A link from one spec to another, as written in the source's front matter.

    Nodes and edges are named tuples: a graph of ten thousand specs has tens of
    thousands of edges, built on every validation run.
    """

    relation: Relation
    source: str
    target: str
    path: str
    """The document the link is written in."""
    line: int


@dataclass(frozen=True, slots=True)
class Graph:
    """Specs and their links; build it with :func:`build_graph`."""

    nodes: Mapping[str, Node]
    """Every defined id, in the order the workspace lists its documents."""
    edges: tuple[Edge, ...]
    """Every link of a spec with an id, in document order; targets may be undefined."""

    def dangling(self) -> list[Edge]:
        """Return the edges whose target no document in the workspace defines."""
        return [edge for edge in self.edges if edge.target not in self.nodes]

    def cycles(self, relations: Iterable[str] = ("dependencies",)) -> list[list[str]]:
        """Return one cycle per strongly connected component through ``relations``.

        Each cycle is a list of ids ``[a, b, c]`` meaning ``a → b → c → a``: it starts
        at the component's smallest id and is a shortest way back to it. A link from a
        spec to itself is not a cycle here. Cycles are sorted by their first id.
        """
        return _cycles_of(self._successors(frozenset(relations)))

    def _successors(self, relations: frozenset[str]) -> dict[str, list[str]]:
        successors: dict[str, list[str]] = {node_id: [] for node_id in self.nodes}
        for edge in self.edges:
            if (
                edge.relation in relations
                and edge.target in self.nodes
                and edge.target != edge.source
            ):
                successors[edge.source].append(edge.target)
        return successors


def dependency_cycles(workspace: Workspace, relations: Iterable[str]) -> list[list[str]]:
    """Return what ``build_graph(workspace).cycles(relations)`` returns, without building
    the graph: the validator asks this of every run, and a graph of a hundred thousand
    specs holds hundreds of thousands of edges."""
    wanted = frozenset(relations)
    successors: dict[str, list[str]] = {}
    for entry in workspace.entries:
        if entry.id is not None:
            successors.setdefault(entry.id, [])
    for entry in workspace.entries:
        if entry.id is None:
            continue
        targets = successors[entry.id]
        for relation, target, _ in entry.links:
            if relation in wanted and target in successors and target != entry.id:
                targets.append(target)
    return _cycles_of(successors)


def first_link(workspace: Workspace, source: str, target: str, relations: Iterable[str]) -> Edge:
    """Return the first link from ``source`` to ``target`` of ``relations``, in document
    order."""
    wanted = frozenset(relations)
    return next(
        Edge(relation, source, target, entry.path, line)
        for entry in workspace.with_id(source)
        for relation, linked, line in entry.links
        if relation in wanted and linked == target
    )


def build_graph(workspace: Workspace) -> Graph:
    """Build the traceability graph of ``workspace``."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for entry in workspace.entries:
        if entry.id is None:
            continue
        nodes.setdefault(entry.id, Node(entry.id, entry.path, entry.id_line))
        edges.extend(
            [
                Edge(relation, entry.id, target, entry.path, line)
                for relation, target, line in entry.links
            ]
        )
    return Graph(nodes, tuple(edges))


def _cycles_of(successors: Mapping[str, list[str]]) -> list[list[str]]:
    found = [
        _shortest_cycle(component, successors)
        for component in _strongly_connected(successors)
        if len(component) > 1
    ]
    return sorted(found, key=lambda cycle: cycle[0])


def _strongly_connected(successors: Mapping[str, list[str]]) -> list[list[str]]:
    """Return the strongly connected components (Tarjan), iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in successors:
        if root in index:
            continue
        # Each frame is a node and the position of the next successor to visit.
        frames: list[tuple[str, int]] = [(root, 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while frames:
            node, position = frames[-1]
            targets = successors[node]
            if position < len(targets):
                frames[-1] = (node, position + 1)
                target = targets[position]
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    frames.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            frames.pop()
            if frames:
                parent = frames[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _shortest_cycle(component: list[str], successors: Mapping[str, list[str]]) -> list[str]:
    """Return a shortest cycle through the smallest id of a strongly connected component."""
    members = frozenset(component)
    start = min(component)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(successors[node]):
            if target not in members:
                continue
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return path[::-1]
            if target not in previous:
                previous[target] = node
                queue.append(target)
    # A component of two or more nodes always leads back to its start.
    raise AssertionError(f"no cycle through {start!r} in its own component")


__all__ = ["Edge", "Graph", "Node", "build_graph", "dependency_cycles", "first_link"]
