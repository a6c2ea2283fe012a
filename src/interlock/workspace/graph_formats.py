"""Draw the traceability graph for a reviewer: Mermaid, Graphviz DOT or JSON.

``interlock graph`` reads the specs the way the validator does (the same discovery,
parser and id index), builds the graph of :mod:`interlock.workspace.graph`, and
prints it so that a pull request shows it: Mermaid renders in GitHub and GitLab
Markdown, DOT in Graphviz, JSON in any script. All three mark the same problems:

- a *dangling* link, whose target no spec defines: the target is drawn as its own
  node, dashed and red;
- a *cycle* through the links that count for the dependency-cycle rule: its edges
  are drawn thick and red, one shortest cycle per group of specs that depend on each
  other, as the rule reports them.

A link that still holds a template placeholder (``{{parent-spec-id}}``) is left out,
as the dangling-link rule leaves it to the placeholder rule. Ids and paths are user
text: every label is escaped for the format, and the graph's own node names are
generated (``n1``, ``d1``), never taken from the specs.

Given some of a workspace's specs, the graph shows those specs, their links in and
out, and the specs at the other end; the rest of the workspace is read only to tell
a dangling link from a link to a spec that is simply not shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from interlock.documents.parser import load_document
from interlock.errors import InputError
from interlock.workspace.discovery import display_path, find_specs
from interlock.workspace.graph import Edge, Graph, Node, build_graph
from interlock.workspace.index import Relation, SpecEntry, Workspace, entry_of
from interlock.workspace.root import SPECS_DIR

__all__ = [
    "GraphFormat",
    "GraphView",
    "LoadedGraph",
    "dot_label",
    "graph_view",
    "load_graph",
    "mermaid_label",
    "render_dot",
    "render_graph",
    "render_json",
    "render_mermaid",
]


class GraphFormat(StrEnum):
    """The formats ``interlock graph`` prints."""

    MERMAID = "mermaid"
    DOT = "dot"
    JSON = "json"


_VERB: dict[Relation, str] = {
    "parent": "parent",
    "dependencies": "depends on",
    "related": "related",
}
_MERMAID_ARROW: dict[Relation, str] = {"parent": "==>", "dependencies": "-->", "related": "-.->"}
_RED = "#cc0000"


@dataclass(frozen=True, slots=True)
class LoadedGraph:
    """The graph of the specs read, and the files that could not be read."""

    graph: Graph
    focus: frozenset[str] | None
    """The ids of the specs asked for; ``None`` when the whole workspace was."""
    unreadable: tuple[tuple[str, str], ...] = ()
    """Each file skipped, as it is shown, with the reason."""


@dataclass(frozen=True, slots=True)
class GraphView:
    """What a drawing shows: specs, links, and the problems among them."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    dangling: tuple[Edge, ...]
    """The edges among ``edges`` whose target no spec defines."""
    cycles: tuple[tuple[str, ...], ...]
    """Each cycle ``(a, b, c)`` means ``a → b → c → a``."""
    cycle_edges: frozenset[Edge]
    """The edges among ``edges`` that are steps of a cycle."""


def load_graph(
    paths: Sequence[Path],
    *,
    root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    cwd: Path | None = None,
) -> LoadedGraph:
    """Read the specs under ``paths`` and the rest of the workspace's specs.

    Raises:
        UsageError: a path does not exist.
    """
    here = (cwd or Path.cwd()).resolve()
    requested = find_specs(paths, root=root, include=include, exclude=exclude)
    specs = root / SPECS_DIR
    everything = (
        find_specs([specs], root=root, include=include, exclude=exclude) if specs.is_dir() else []
    )
    wanted = {path.resolve() for path in requested}
    others = [path for path in everything if path.resolve() not in wanted]
    # In path order, whichever were asked for, so that a drawing is stable to review.
    ordered = sorted([*requested, *others], key=lambda path: display_path(path, here))
    entries, unreadable = _entries(ordered, here)
    graph = build_graph(Workspace(tuple(entries)))
    focus = None
    if others:
        shown = {display_path(path, here) for path in requested}
        focus = frozenset(entry.id for entry in entries if entry.id and entry.path in shown)
    return LoadedGraph(graph, focus, tuple(unreadable))


def graph_view(
    graph: Graph,
    *,
    focus: Iterable[str] | None = None,
    cycle_relations: Iterable[str] = ("dependencies",),
) -> GraphView:
    """Choose what to draw: everything, or the ``focus`` specs and their neighbours."""
    relations = frozenset(cycle_relations)
    edges = [edge for edge in graph.edges if not _placeholder(edge.target)]
    cycles = [tuple(cycle) for cycle in graph.cycles(relations)]
    steps = _steps(cycles)
    if focus is not None:
        wanted = frozenset(focus)
        cycles = [cycle for cycle in cycles if wanted.intersection(cycle)]
        steps = _steps(cycles)
        edges = [
            edge
            for edge in edges
            if edge.source in wanted
            or edge.target in wanted
            or (edge.relation in relations and (edge.source, edge.target) in steps)
        ]
        ends = {edge.source for edge in edges} | {edge.target for edge in edges}
        nodes = [node for node in graph.nodes.values() if node.id in wanted or node.id in ends]
    else:
        nodes = list(graph.nodes.values())
    dangling = [edge for edge in edges if edge.target not in graph.nodes]
    in_cycles = frozenset(
        edge for edge in edges if edge.relation in relations and (edge.source, edge.target) in steps
    )
    return GraphView(tuple(nodes), tuple(edges), tuple(dangling), tuple(cycles), in_cycles)


def render_graph(view: GraphView, graph_format: GraphFormat | str) -> str:
    """Return ``view`` drawn in ``graph_format``."""
    chosen = GraphFormat(graph_format)
    if chosen is GraphFormat.DOT:
        return render_dot(view)
    if chosen is GraphFormat.JSON:
        return render_json(view)
    return render_mermaid(view)


def render_mermaid(view: GraphView) -> str:
    """Return a Mermaid flowchart of ``view``, to paste into a ```mermaid block."""
    names, missing = _names(view)
    lines = ["flowchart LR"]
    if not view.nodes and not view.dangling:
        lines.append("  %% no spec with an id was found")
    for node in view.nodes:
        label = f"{mermaid_label(node.id)}<br/>{mermaid_label(node.path)}"
        lines.append(f'  {names[node.id]}["{label}"]')
    for target, name in missing.items():
        lines.append(f'  {name}["{mermaid_label(target)}<br/>not defined"]')
    red: list[str] = []
    for index, edge in enumerate(view.edges):
        arrow = _MERMAID_ARROW[edge.relation]
        lines.append(
            f"  {_end(edge.source, names, missing)} {arrow}|{_VERB[edge.relation]}| "
            f"{_end(edge.target, names, missing)}"
        )
        if edge in view.cycle_edges:
            red.append(str(index))
    if missing:
        lines.append(
            f"  classDef dangling fill:#fff0f0,stroke:{_RED},stroke-dasharray:5 3,color:#990000"
        )
        lines.append(f"  class {','.join(missing.values())} dangling")
    if red:
        lines.append(f"  linkStyle {','.join(red)} stroke:{_RED},stroke-width:3px")
    return "\n".join(lines) + "\n"


def render_dot(view: GraphView) -> str:
    """Return a Graphviz DOT digraph of ``view``."""
    names, missing = _names(view)
    lines = [
        "digraph traceability {",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in view.nodes:
        label = f"{dot_label(node.id)}\\n{dot_label(node.path)}"
        lines.append(f'  {names[node.id]} [label="{label}"];')
    for target, name in missing.items():
        lines.append(
            f'  {name} [label="{dot_label(target)}\\nnot defined", style="dashed,filled", '
            f'color="{_RED}", fillcolor="#fff0f0", fontcolor="#990000"];'
        )
    for edge in view.edges:
        attributes = [f'label="{_VERB[edge.relation]}"']
        if edge.relation == "related":
            attributes.append("style=dashed")
        elif edge.relation == "parent":
            attributes.append("style=bold")
        if edge in view.cycle_edges:
            attributes.extend([f'color="{_RED}"', f'fontcolor="{_RED}"', "penwidth=3"])
        elif edge.target in missing:
            attributes.append(f'color="{_RED}"')
        source = _end(edge.source, names, missing)
        target = _end(edge.target, names, missing)
        lines.append(f"  {source} -> {target} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_json(view: GraphView) -> str:
    """Return ``view`` as JSON: nodes, edges, dangling links and cycles."""
    dangling = frozenset(view.dangling)
    payload = {
        "nodes": [{"id": node.id, "path": node.path, "line": node.line} for node in view.nodes],
        "edges": [
            {**_edge_data(edge), "dangling": edge in dangling, "cycle": edge in view.cycle_edges}
            for edge in view.edges
        ],
        "dangling": [_edge_data(edge) for edge in view.dangling],
        "cycles": [list(cycle) for cycle in view.cycles],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def mermaid_label(text: str) -> str:
    """Escape ``text`` for a double-quoted Mermaid label: one line, entity codes."""
    # '#' first: every escape below starts with it.
    out = _one_line(text).replace("#", "#35;")
    for character, code in (('"', "#34;"), ("<", "#60;"), (">", "#62;"), ("`", "#96;")):
        out = out.replace(character, code)
    return out.replace("&", "#38;")


def dot_label(text: str) -> str:
    """Escape ``text`` for a double-quoted DOT string: one line, ``\\``, ``"`` and ``&``.

    Graphviz reads ``&amp;`` and the like in any label as a character entity, so ``&``
    becomes ``&amp;`` to stay what was typed.
    """
    escaped = _one_line(text).replace("\\", "\\\\").replace('"', '\\"')
    return escaped.replace("&", "&amp;")


def _one_line(text: str) -> str:
    # A line break or control character would end the statement it stands in.
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _names(view: GraphView) -> tuple[dict[str, str], dict[str, str]]:
    """Return generated names for the defined specs and for the missing targets."""
    names = {node.id: f"n{index}" for index, node in enumerate(view.nodes, start=1)}
    missing: dict[str, str] = {}
    for edge in view.dangling:
        missing.setdefault(edge.target, f"d{len(missing) + 1}")
    return names, missing


def _end(spec_id: str, names: dict[str, str], missing: dict[str, str]) -> str:
    return names.get(spec_id) or missing[spec_id]


def _edge_data(edge: Edge) -> dict[str, object]:
    return {
        "relation": edge.relation,
        "source": edge.source,
        "target": edge.target,
        "path": edge.path,
        "line": edge.line,
    }


def _steps(cycles: Iterable[Sequence[str]]) -> frozenset[tuple[str, str]]:
    return frozenset(
        (cycle[index], cycle[(index + 1) % len(cycle)])
        for cycle in cycles
        for index in range(len(cycle))
    )


def _placeholder(target: str) -> bool:
    return "{{" in target or target.startswith("[")


def _entries(paths: Sequence[Path], here: Path) -> tuple[list[SpecEntry], list[tuple[str, str]]]:
    entries: list[SpecEntry] = []
    unreadable: list[tuple[str, str]] = []
    for path in paths:
        shown = display_path(path, here)
        try:
            document = load_document(path)
        except InputError as error:
            unreadable.append((shown, error.message))
            continue
        entries.append(replace(entry_of(document), path=shown))
    return entries, unreadable
