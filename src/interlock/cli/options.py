"""Every command-line option, declared once as an ``Annotated`` alias."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class PresetName(StrEnum):
    """The built-in validation presets."""

    DRAFT = "draft"
    REVIEW = "review"
    PRODUCTION = "production"


class ReportFormat(StrEnum):
    """The report formats of ``interlock validate``."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    MARKDOWN = "markdown"


class FailOn(StrEnum):
    """The lowest severity that fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Spec files or folders (searched for *.md). Default: the workspace's specs/.",
        show_default=False,
    ),
]
PresetOpt = Annotated[
    PresetName | None,
    typer.Option("--preset", "-p", help="Rule preset. Default: the config's, else review."),
]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on", help="Exit 1 when a finding is at least this severe. Default: error."
    ),
]
MinScoreOpt = Annotated[
    float | None,
    typer.Option("--min-score", min=0, max=100, help="Exit 1 when the run's score is below this."),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Config file. Default: .interlock/config.yaml found upwards."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes. Default: one per CPU."),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Check every file again, ignoring the cache.")
]
ColorOpt = Annotated[
    bool | None,
    typer.Option("--color/--no-color", help="Colour the text report. Default: on a terminal."),
]
RuleNameArg = Annotated[
    str | None,
    typer.Argument(help="A rule name or code to explain.", show_default=False),
]
