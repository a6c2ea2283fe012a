"""``interlock graph``: the traceability graph of the specs, for a pull request."""

from __future__ import annotations

from pathlib import Path

import typer

from interlock.cli.options import ConfigOpt, GraphFormatName, GraphFormatOpt, OutputOpt, PathsArg
from interlock.workspace.root import require_specs


def graph(
    paths: PathsArg = None,
    graph_format: GraphFormatOpt = GraphFormatName.MERMAID,
    output: OutputOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Draw parent, dependency and related links, marking dangling links and cycles."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.output import write_output
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


__all__ = ["graph"]
