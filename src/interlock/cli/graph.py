"""``interlock graph``: the traceability graph of the specs, or the systems each
integration talks to."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from interlock.cli.options import ConfigOpt, GraphFormatName, GraphFormatOpt, OutputOpt, PathsArg
from interlock.workspace.root import require_specs


class GraphKind(StrEnum):
    """What ``graph --view`` draws."""

    SPECS = "specs"
    SYSTEMS = "systems"


GraphKindOpt = Annotated[
    GraphKind,
    typer.Option(
        "--view",
        help=(
            "specs: the links between spec ids; systems: each integration, the systems "
            "it talks to, and which way each flow goes (PATHS are then integration names)."
        ),
    ),
]


def graph(
    paths: PathsArg = None,
    graph_format: GraphFormatOpt = GraphFormatName.MERMAID,
    kind: GraphKindOpt = GraphKind.SPECS,
    output: OutputOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Draw the links between specs (parent, dependencies, related), or with
    ``--view systems`` the system context of each integration."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.output import write_output

    if kind is GraphKind.SYSTEMS:
        write_output(_systems(paths, graph_format), output)
        return
    from interlock.validate.config import load_config
    from interlock.workspace.graph_formats import graph_view, load_graph, render_graph

    settings = load_config(Path.cwd(), config_file=config)
    targets = paths or [require_specs(settings.root)]
    loaded = load_graph(
        targets, root=settings.root, include=settings.include, exclude=settings.exclude
    )
    for shown, reason in loaded.unreadable:
        typer.echo(f"{shown}: warning: left out of the graph: {reason}", err=True)
    cycle_rule = settings.setting("dependency-cycle")
    relations = cycle_rule.options["relations"] if cycle_rule else ["dependencies"]
    view = graph_view(loaded.graph, focus=loaded.focus, cycle_relations=relations)
    write_output(render_graph(view, graph_format.value), output)


def _systems(names: list[Path] | None, graph_format: GraphFormatName) -> str:
    from interlock.folders.workspace import WorkspaceFolder
    from interlock.render.system_context import context_dot, context_json, context_mermaid

    workspace = WorkspaceFolder.find(Path.cwd())
    chosen = [path.name for path in names] if names else None
    contexts, unreadable = workspace.system_contexts(chosen)
    for failed in unreadable:
        typer.echo(f"warning: {failed.name} left out of the graph: {failed.error}", err=True)
    if graph_format is GraphFormatName.DOT:
        return context_dot(contexts)
    if graph_format is GraphFormatName.JSON:
        return context_json(contexts)
    return context_mermaid(contexts)


__all__ = ["GraphKind", "graph"]
