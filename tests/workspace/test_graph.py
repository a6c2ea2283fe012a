"""The traceability graph: nodes, edges, dangling links and dependency cycles.

Large graphs are checked for the work they take, not for time: a test counts the
lines of ``interlock.workspace.graph`` that run, which a loaded machine cannot change.
How fast it is lives in ``benchmarks/graph_cycles.py``.
"""

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import interlock.workspace.graph as graph_module
from interlock.documents.model import DocumentKind
from interlock.documents.parser import parse_document
from interlock.workspace.graph import Edge, Graph, build_graph, dependency_cycles, first_link
from interlock.workspace.index import Link, SpecEntry, Workspace, entry_of


def _workspace(files: dict[str, str]) -> Workspace:
    return Workspace(
        entries=tuple(
            entry_of(parse_document(text, path=Path(name))) for name, text in files.items()
        )
    )


def _spec(spec_id: str, **links: list[str] | str) -> str:
    lines = ["---", f"id: {spec_id}"]
    for relation, targets in links.items():
        if isinstance(targets, str):
            lines.append(f"{relation}: {targets}")
        else:
            lines.append(f"{relation}:")
            lines.extend(f"  - {target}" for target in targets)
    return "\n".join([*lines, "---", "", "# Spec", ""])


def _chain(count: int, *, closed: bool) -> Workspace:
    entries = []
    for number in range(count):
        target = number + 1
        links: tuple[Link, ...] = ()
        if target < count or closed:
            links = (Link("dependencies", f"s{target % count:05d}", 3),)
        entries.append(
            SpecEntry(f"s{number:05d}.md", f"s{number:05d}", 2, DocumentKind.SPECKIT, links)
        )
    return Workspace(entries=tuple(entries))


def test_nodes_and_edges_come_from_ids_and_links() -> None:
    workspace = _workspace(
        {
            "a.md": _spec("a", parent="root", dependencies=["b", "c"]),
            "b.md": _spec("b"),
            "root.md": _spec("root", related=["a"]),
        }
    )
    graph = build_graph(workspace)
    assert list(graph.nodes) == ["a", "b", "root"]
    assert graph.nodes["b"].path == "b.md"
    assert graph.nodes["b"].line == 2
    assert graph.edges == (
        Edge("parent", "a", "root", "a.md", 3),
        Edge("dependencies", "a", "b", "a.md", 5),
        Edge("dependencies", "a", "c", "a.md", 6),
        Edge("related", "root", "a", "root.md", 4),
    )
    assert [edge.target for edge in edges_from(graph, "a", ["dependencies"])] == ["b", "c"]


def test_dangling_lists_links_to_undefined_ids() -> None:
    workspace = _workspace(
        {"a.md": _spec("a", parent="ghost", dependencies=["b"]), "b.md": _spec("b")}
    )
    assert build_graph(workspace).dangling() == [Edge("parent", "a", "ghost", "a.md", 3)]


def test_document_without_id_is_not_a_node() -> None:
    workspace = _workspace({"a.md": "# No front matter\n", "b.md": _spec("b")})
    assert list(build_graph(workspace).nodes) == ["b"]


def test_cycle_is_reported_once_from_its_smallest_id() -> None:
    workspace = _workspace(
        {
            "c.md": _spec("c", dependencies=["a"]),
            "a.md": _spec("a", dependencies=["b"]),
            "b.md": _spec("b", dependencies=["c"]),
            "d.md": _spec("d", dependencies=["a"]),
        }
    )
    assert build_graph(workspace).cycles() == [["a", "b", "c"]]


def test_cycle_path_is_a_shortest_way_back() -> None:
    workspace = _workspace(
        {
            "a.md": _spec("a", dependencies=["b", "x"]),
            "b.md": _spec("b", dependencies=["c"]),
            "c.md": _spec("c", dependencies=["a"]),
            "x.md": _spec("x", dependencies=["a"]),
        }
    )
    # One strongly connected component, so one readable cycle: a → x → a is shortest.
    assert build_graph(workspace).cycles() == [["a", "x"]]


def test_separate_components_give_separate_cycles() -> None:
    workspace = _workspace(
        {
            "p.md": _spec("p", dependencies=["q"]),
            "q.md": _spec("q", dependencies=["p"]),
            "a.md": _spec("a", dependencies=["b"]),
            "b.md": _spec("b", dependencies=["a"]),
        }
    )
    assert build_graph(workspace).cycles() == [["a", "b"], ["p", "q"]]


def test_relations_choose_which_links_make_cycles() -> None:
    workspace = _workspace({"a.md": _spec("a", parent="b"), "b.md": _spec("b", dependencies=["a"])})
    graph = build_graph(workspace)
    assert graph.cycles() == []
    assert graph.cycles(["dependencies", "parent"]) == [["a", "b"]]


def test_self_link_and_dangling_target_are_not_cycles() -> None:
    workspace = _workspace({"a.md": _spec("a", dependencies=["a", "ghost"])})
    assert build_graph(workspace).cycles() == []


def _lines_run(work: Callable[[], Any]) -> int:
    """Return how many lines of the graph module run while ``work()`` runs."""
    source = graph_module.__file__
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        # Only the graph module's own frames are traced line by line.
        return local if frame.f_code.co_filename == source else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("closed", [False, True], ids=["chain", "ring"])
def test_finding_cycles_takes_work_in_proportion_to_the_specs(closed: bool) -> None:
    def work(count: int) -> int:
        workspace = _chain(count, closed=closed)
        return _lines_run(lambda: build_graph(workspace).cycles())

    small, large = work(1_000), work(4_000)
    assert small > 1_000  # every spec is visited
    # Four times the specs, about four times the work; a quadratic search does 16 times.
    assert large < 4.5 * small


def test_ten_thousand_node_chain_has_no_cycle() -> None:
    assert build_graph(_chain(10_000, closed=False)).cycles() == []


def test_ten_thousand_node_ring_is_one_cycle() -> None:
    # The search keeps its own stack: a recursive one would stop at Python's limit.
    cycles = build_graph(_chain(10_000, closed=True)).cycles()
    assert len(cycles) == 1
    assert cycles[0][:3] == ["s00000", "s00001", "s00002"]
    assert len(cycles[0]) == 10_000


def edges_from(graph: Graph, source: str, relations: Iterable[str]) -> list[Edge]:
    """The links written in spec ``source`` of ``relations``, in document order."""
    return [edge for edge in graph.edges if edge.source == source and edge.relation in relations]


_IDS = ["a", "b", "c", "d", "e"]
_ENTRIES = st.lists(
    st.builds(
        lambda number, spec_id, links: SpecEntry(
            f"s{number}.md", spec_id, 2, DocumentKind.SPECKIT, tuple(links)
        ),
        st.integers(0, 99),
        st.none() | st.sampled_from(_IDS),
        st.lists(
            st.builds(
                Link,
                st.sampled_from(["parent", "dependencies", "related"]),
                st.sampled_from([*_IDS, "ghost"]),
                st.integers(1, 9),
            ),
            max_size=4,
        ),
    ),
    max_size=8,
)


@given(entries=_ENTRIES, relations=st.sets(st.sampled_from(["parent", "dependencies", "related"])))
def test_cycles_without_the_graph_are_the_cycles_of_the_graph(
    entries: list[SpecEntry], relations: set[str]
) -> None:
    """The validator finds cycles without building the graph (its edges would fill the
    memory of a run over a hundred thousand specs): the same cycles, the same links."""
    workspace = Workspace(tuple(entries))
    graph = build_graph(workspace)
    cycles = dependency_cycles(workspace, relations)
    assert cycles == graph.cycles(relations)
    for cycle in cycles:
        expected = next(
            edge for edge in edges_from(graph, cycle[0], relations) if edge.target == cycle[1]
        )
        assert first_link(workspace, cycle[0], cycle[1], relations) == expected


@given(entries=_ENTRIES)
def test_entries_are_found_by_id_in_the_order_of_the_workspace(entries: list[SpecEntry]) -> None:
    workspace = Workspace(tuple(entries))
    for spec_id in [*_IDS, "ghost"]:
        assert list(workspace.with_id(spec_id)) == [e for e in entries if e.id == spec_id]
