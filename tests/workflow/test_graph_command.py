"""`interlock graph`: the traceability graph in Mermaid, DOT and JSON, problems marked."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from interlock.validate.config import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from interlock.workspace.graph_formats import (
    GraphFormat,
    dot_label,
    graph_view,
    load_graph,
    mermaid_label,
    render_dot,
    render_graph,
    render_json,
    render_mermaid,
)

Invoke = Callable[..., Result]
HOSTILE = 'x"] --> y["<b>#35; &amp; `z` | end %% \\ \\n'


def _spec(spec_id: str, **links: list[str] | str) -> str:
    lines = ["---", f"id: {json.dumps(spec_id)}"]
    lines.extend(f"{relation}: {json.dumps(targets)}" for relation, targets in links.items())
    return "\n".join([*lines, "---", "", "# Spec", ""])


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace: orders and payments depend on each other, orders has a dangling parent."""
    (tmp_path / ".interlock").mkdir()
    files = {
        "specs/orders.md": _spec(
            "orders", parent="platform", dependencies=["payments"], related=["{{related-spec-id}}"]
        ),
        "specs/payments.md": _spec("payments", dependencies=["orders", "users"]),
        "specs/users.md": _spec("users", related=["payments"]),
        "specs/notes.md": "# Notes without an id\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _view(root: Path, *paths: str):  # type: ignore[no-untyped-def]
    loaded = load_graph(
        [root / path for path in paths or ("specs",)],
        root=root,
        include=DEFAULT_INCLUDE,
        exclude=DEFAULT_EXCLUDE,
        cwd=root,
    )
    return graph_view(loaded.graph, focus=loaded.focus)


def test_mermaid_marks_the_dangling_target_and_the_cycle(specs: Path) -> None:
    assert render_mermaid(_view(specs)) == (
        "flowchart LR\n"
        '  n1["orders<br/>specs/orders.md"]\n'
        '  n2["payments<br/>specs/payments.md"]\n'
        '  n3["users<br/>specs/users.md"]\n'
        '  d1["platform<br/>not defined"]\n'
        "  n1 ==>|parent| d1\n"
        "  n1 -->|depends on| n2\n"
        "  n2 -->|depends on| n1\n"
        "  n2 -->|depends on| n3\n"
        "  n3 -.->|related| n2\n"
        "  classDef dangling fill:#fff0f0,stroke:#cc0000,stroke-dasharray:5 3,color:#990000\n"
        "  class d1 dangling\n"
        "  linkStyle 1,2 stroke:#cc0000,stroke-width:3px\n"
    )


def test_dot_colours_the_dangling_target_and_the_cycle(specs: Path) -> None:
    dot = render_dot(_view(specs))
    assert dot.startswith("digraph traceability {\n  rankdir=LR;\n")
    assert (
        '  d1 [label="platform\\nnot defined", style="dashed,filled", color="#cc0000", '
        'fillcolor="#fff0f0", fontcolor="#990000"];\n'
    ) in dot
    assert (
        '  n1 -> n2 [label="depends on", color="#cc0000", fontcolor="#cc0000", penwidth=3];\n'
        in dot
    )
    assert '  n2 -> n3 [label="depends on"];\n' in dot
    assert '  n3 -> n2 [label="related", style=dashed];\n' in dot
    assert dot.endswith("}\n")


def test_json_lists_nodes_edges_dangling_links_and_cycles(specs: Path) -> None:
    data = json.loads(render_json(_view(specs)))
    assert [node["id"] for node in data["nodes"]] == ["orders", "payments", "users"]
    assert data["nodes"][0] == {"id": "orders", "path": "specs/orders.md", "line": 2}
    assert data["dangling"] == [
        {
            "relation": "parent",
            "source": "orders",
            "target": "platform",
            "path": "specs/orders.md",
            "line": 3,
        }
    ]
    assert data["cycles"] == [["orders", "payments"]]
    flagged = {(e["source"], e["target"]): (e["dangling"], e["cycle"]) for e in data["edges"]}
    assert flagged == {
        ("orders", "platform"): (True, False),
        ("orders", "payments"): (False, True),
        ("payments", "orders"): (False, True),
        ("payments", "users"): (False, False),
        ("users", "payments"): (False, False),
    }


def test_links_still_holding_a_placeholder_are_left_out(specs: Path) -> None:
    edges = _view(specs).edges
    assert all("{{" not in edge.target for edge in edges)
    assert len(edges) == 5


def test_some_specs_are_drawn_with_their_neighbours_and_nothing_reads_as_dangling(
    specs: Path,
) -> None:
    view = _view(specs, "specs/users.md")
    assert [node.id for node in view.nodes] == ["payments", "users"]
    assert [(edge.source, edge.target) for edge in view.edges] == [
        ("payments", "users"),
        ("users", "payments"),
    ]
    assert view.dangling == () and view.cycles == ()


def test_a_cycle_through_a_spec_drawn_is_drawn_whole(specs: Path) -> None:
    view = _view(specs, "specs/orders.md")
    assert view.cycles == (("orders", "payments"),)
    assert {(edge.source, edge.target) for edge in view.cycle_edges} == {
        ("orders", "payments"),
        ("payments", "orders"),
    }


@pytest.mark.parametrize(
    ("escape", "forbidden"),
    [(mermaid_label, ['"', "<", ">", "`", "\n"]), (dot_label, ["\n"])],
    ids=["mermaid", "dot"],
)
def test_labels_are_one_line_and_cannot_close_their_string(
    escape: Callable[[str], str], forbidden: list[str]
) -> None:
    escaped = escape(HOSTILE + "\nnext line\x1b[31m")
    for text in forbidden:
        assert text not in escaped
    # An unescaped double quote would end the label.
    assert re.search(r'(?<!\\)"', escaped) is None


def test_hostile_ids_stay_inside_their_node(specs: Path) -> None:
    (specs / "specs" / "evil.md").write_text(
        _spec(HOSTILE, dependencies=[HOSTILE + "-missing"]), encoding="utf-8"
    )
    view = _view(specs)
    mermaid = render_mermaid(view).splitlines()
    # One statement per node and per link: nothing an id holds starts a new one.
    assert len(mermaid) == 1 + 4 + 2 + 6 + 3
    assert all(line.count('"') in (0, 2) for line in mermaid)
    dot = render_dot(view)
    assert dot.count("\n") == 4 + 4 + 2 + 6 + 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_reads_hostile_ids_back_as_they_were(specs: Path) -> None:
    (specs / "specs" / "evil.md").write_text(_spec(HOSTILE), encoding="utf-8")
    done = subprocess.run(
        ["dot", "-Tplain"],
        input=render_dot(_view(specs)),
        capture_output=True,
        text=True,
        check=True,
    )
    # In -Tplain output Graphviz escapes quotes and backslashes the way DOT reads them.
    assert dot_label(HOSTILE).replace("&amp;", "&") in done.stdout


def test_render_graph_picks_the_format(specs: Path) -> None:
    view = _view(specs)
    assert render_graph(view, GraphFormat.MERMAID).startswith("flowchart LR\n")
    assert render_graph(view, "dot").startswith("digraph")
    assert json.loads(render_graph(view, "json"))["cycles"]


def test_the_command_draws_the_workspace_specs_in_mermaid(specs: Path, invoke: Invoke) -> None:
    result = invoke("graph")
    assert result.exit_code == 0, result.output
    assert result.output == render_mermaid(_view(specs))


def test_the_command_writes_json_to_a_file(specs: Path, invoke: Invoke) -> None:
    result = invoke("graph", "--format", "json", "--output", "graph.json", "specs/users.md")
    assert result.exit_code == 0, result.output
    data = json.loads((specs / "graph.json").read_text(encoding="utf-8"))
    assert [node["id"] for node in data["nodes"]] == ["payments", "users"]


def test_the_command_reports_a_file_it_cannot_read_and_draws_the_rest(
    specs: Path, invoke: Invoke
) -> None:
    (specs / "specs" / "broken.md").write_bytes(b"\xff\xfe\x00binary")
    result = invoke("graph", "--format", "json")
    assert result.exit_code == 0
    assert "specs/broken.md: warning: left out of the graph" in result.stderr
    assert [node["id"] for node in json.loads(result.stdout)["nodes"]] == [
        "orders",
        "payments",
        "users",
    ]


def test_the_cycle_relations_follow_the_dependency_cycle_rule(specs: Path, invoke: Invoke) -> None:
    (specs / ".interlock" / "config.yaml").write_text(
        "rules:\n  dependency-cycle:\n    options: {relations: [related]}\n",
        encoding="utf-8",
    )
    # Only related links count now, and they make no circle.
    data = json.loads(invoke("graph", "--format", "json").stdout)
    assert data["cycles"] == []
    assert not any(edge["cycle"] for edge in data["edges"])


def test_the_command_without_specs_says_what_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke
) -> None:
    (tmp_path / ".interlock").mkdir()
    monkeypatch.chdir(tmp_path)
    result = invoke("graph")
    assert result.exit_code == 2
    assert "no specs/ folder" in result.output
