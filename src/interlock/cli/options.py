"""Every command-line option, declared once as an ``Annotated`` alias.

Defaults that the core also knows (the research limits, the bank of a new interview)
are written out here rather than imported, so that ``interlock --help`` loads no
core; tests/cli/test_option_defaults.py checks that they match the core's.
"""

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
    typer.Option(
        "--preset",
        "-p",
        help="Rule preset. Default: the config's, else review.",
        show_default=False,
    ),
]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file instead of stdout.",
    ),
]


def _fail_on(given: str | None) -> FailOn | None:
    """Return ``--fail-on``'s severity, or refuse it naming the valid ones."""
    if given is None or given in tuple(FailOn):
        return None if given is None else FailOn(given)
    # Only on a mistake: a valid --fail-on loads no core.
    from interlock.validate.config import FAIL_ON_SEVERITIES, describe_unknown_severity

    raise typer.BadParameter(describe_unknown_severity(given, FAIL_ON_SEVERITIES))


FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="SEVERITY",
        help="Exit 1 when a finding is at least this severe: error, warning or info. "
        "Default: error.",
        callback=_fail_on,
        show_default=False,
    ),
]
MinScoreOpt = Annotated[
    float | None,
    typer.Option(
        "--min-score",
        min=0,
        max=100,
        metavar="SCORE",
        help="Exit 1 when the run's score is below this.",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Config file. Default: .interlock/config.yaml found upwards.",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes (at most one per CPU). Default: one per CPU.",
    ),
]
CacheOpt = Annotated[
    bool | None,
    typer.Option(
        "--cache/--no-cache",
        metavar="",
        help="Reuse the results of unchanged files (kept in the user's cache directory). "
        "Default: on, except in CI (CI=true).",
    ),
]
ColorOpt = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color", metavar="", help="Colour the text report. Default: on a terminal."
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        metavar="",
        help="Show no progress on stderr (it shows only on a terminal, for runs "
        "longer than 1.5 s, never under CI=true).",
    ),
]
MarkdownOpt = Annotated[
    bool,
    typer.Option("--markdown", metavar="", help="Print the whole rule reference as Markdown."),
]
RuleNameArg = Annotated[
    str | None,
    typer.Argument(metavar="RULE", help="A rule name or code to explain.", show_default=False),
]

# -- one integration ----------------------------------------------------------------------

NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="The integration's name, e.g. payments.")
]
SomeNameArg = Annotated[
    str | None,
    typer.Argument(metavar="NAME", help="One integration; default: every one.", show_default=False),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", metavar="", help="Print machine-readable JSON (errors too, on stdout)."),
]
AuthorOpt = Annotated[
    str | None,
    typer.Option(
        "--author",
        metavar="NAME",
        help="The spec's author. Default: git's user.name, else you.",
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", metavar="", help="Replace files edited by hand (a copy of each is kept)."
    ),
]
DiffOpt = Annotated[
    bool,
    typer.Option("--diff", metavar="", help="Show how the files on disk differ; write nothing."),
]

# -- interview ----------------------------------------------------------------------------

DEFAULT_BANK = "integration"


# How deep the interview goes: the values of ``interlock.interview.schema.DEPTHS``
# (a test checks), written out so that --help loads no core.
InterviewDepth = StrEnum(
    "InterviewDepth", [("QUICK", "quick"), ("STANDARD", "standard"), ("FULL", "full")]
)


TemplateOpt = Annotated[
    str,
    typer.Option("--template", metavar="BANK", help="Question bank to use for a new interview."),
]
DepthOpt = Annotated[
    InterviewDepth | None,
    typer.Option(
        "--depth",
        help="How deep the interview goes. Default: standard, or as before.",
        case_sensitive=False,
        show_default=False,
    ),
]
NextOpt = Annotated[
    bool, typer.Option("--next", metavar="", help="Print the next round of questions.")
]
AnswerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--answer",
        "-a",
        metavar="ID=VALUE",
        help="Answer (or revise) question ID; VALUE is JSON when it parses, else text. "
        "A text question keeps VALUE as typed; a list question takes a JSON list.",
        show_default=False,
    ),
]
SkipOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--skip", metavar="ID", help='Question id to skip ("don\'t know").', show_default=False
    ),
]
ReasonOpt = Annotated[
    str,
    typer.Option(
        "--reason", metavar="TEXT", help="Why the skipped questions are open.", show_default=False
    ),
]
OwnerOpt = Annotated[
    str,
    typer.Option(
        "--owner", metavar="NAME", help="Who will answer the skipped ones.", show_default=False
    ),
]
AnswersOpt = Annotated[
    Path | None,
    typer.Option("--answers", metavar="FILE", help="YAML or JSON file: question id -> value."),
]
NoInputOpt = Annotated[
    bool,
    typer.Option("--no-input", metavar="", help="Never prompt; apply the given answers and stop."),
]
ReviseOpt = Annotated[
    str | None,
    typer.Option(
        "--revise",
        metavar="ID",
        help="Ask question ID again in the terminal, showing its answer; "
        "--answer ID=VALUE revises it in a script.",
        show_default=False,
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="NAME", help="Who answers. Default: git's user.name, else you."),
]

# -- answers ------------------------------------------------------------------------------

UnsetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unset",
        metavar="ID",
        help="Make question ID unanswered again; it is asked again. Repeatable.",
        show_default=False,
    ),
]
AddSystemOpt = Annotated[
    str | None,
    typer.Option(
        "--add-system", metavar="NAME", help="Add a system (with --kind).", show_default=False
    ),
]
SystemKindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        metavar="KIND",
        help="The added system's kind, as the bank offers it: external-api, "
        "internal-service, database, queue or file-transfer.",
        show_default=False,
    ),
]
RenameSystemOpt = Annotated[
    tuple[str, str] | None,
    typer.Option(
        "--rename-system",
        metavar="OLD NEW",
        help="Rename a system; its answers and research notes move with it.",
        show_default=False,
    ),
]
RemoveSystemOpt = Annotated[
    str | None,
    typer.Option(
        "--remove-system",
        metavar="NAME",
        help="Remove a system and its answers, after saying what is dropped.",
        show_default=False,
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option("--yes", "-y", metavar="", help="Remove without asking (for scripts)."),
]

# -- research -----------------------------------------------------------------------------

DEFAULT_MAX_MIB = 10
DEFAULT_TIMEOUT = 30.0
OpenApiOpt = Annotated[
    str | None,
    typer.Option(
        "--openapi",
        metavar="FILE|URL",
        help="The external system's OpenAPI 3.x or Swagger 2.0 document: a file or a URL.",
        show_default=False,
    ),
]
AsyncApiOpt = Annotated[
    str | None,
    typer.Option(
        "--asyncapi",
        metavar="FILE",
        help="An event API's AsyncAPI 3.x or 2.x document (1.x read as best effort): a file.",
        show_default=False,
    ),
]
AllowRemoteOpt = Annotated[
    bool,
    typer.Option(
        "--allow-remote",
        metavar="",
        help="Fetch a URL and remote $refs; otherwise they are never fetched.",
    ),
]
ReferencesOpt = Annotated[
    Path | None,
    typer.Option(
        "--references",
        metavar="FOLDER",
        help="A folder whose files the document's $refs may also read. "
        "Default: only the document's own folder.",
        file_okay=False,
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        metavar="",
        help="Refuse a document that breaks the OpenAPI specification anywhere; "
        "otherwise research reads what it can and lists the problems as warnings.",
    ),
]
FailOnDriftOpt = Annotated[
    bool,
    typer.Option(
        "--fail-on-drift",
        metavar="",
        help="Exit 1 when the document breaks what the integration uses, compared with "
        "the system's last snapshot (a CI job can watch a vendor's document).",
    ),
]
SystemNameOpt = Annotated[
    str | None,
    typer.Option(
        "--system-name",
        metavar="NAME",
        help="What to call the system. Default: the document's title.",
    ),
]
MaxSizeOpt = Annotated[
    int,
    typer.Option(
        "--max-size",
        min=1,
        metavar="MIB",
        help="Largest document accepted, in MiB (all its files).",
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout", min=0.1, metavar="SECONDS", help="Seconds allowed for each remote document."
    ),
]


# -- workflow ------------------------------------------------------------------------------


class GraphFormatName(StrEnum):
    """The formats of ``graph --format``; the values of ``graph_formats.GraphFormat``."""

    MERMAID = "mermaid"
    DOT = "dot"
    JSON = "json"


GraphFormatOpt = Annotated[
    GraphFormatName,
    typer.Option("--format", "-f", help="mermaid (renders in GitHub and GitLab), dot or json."),
]


class BlankDocument(StrEnum):
    """The documents of ``new --kind``; the values of ``interlock.render.blank.BlankKind``."""

    INTEGRATION_SPEC = "integration-spec"
    INTEGRATION_POINTS = "integration-points"


BlankOpt = Annotated[
    bool,
    typer.Option(
        "--blank",
        metavar="",
        help="Write the blank template (what new always does; kept for scripts).",
    ),
]
KindOpt = Annotated[
    BlankDocument, typer.Option("--kind", help="Which document to start.", case_sensitive=False)
]


__all__ = [
    "DEFAULT_BANK",
    "DEFAULT_MAX_MIB",
    "DEFAULT_TIMEOUT",
    "AddSystemOpt",
    "AllowRemoteOpt",
    "AnswerOpt",
    "AnswersOpt",
    "AsyncApiOpt",
    "AuthorOpt",
    "BlankDocument",
    "BlankOpt",
    "ByOpt",
    "CacheOpt",
    "ColorOpt",
    "ConfigOpt",
    "DepthOpt",
    "DiffOpt",
    "FailOn",
    "FailOnDriftOpt",
    "FailOnOpt",
    "ForceOpt",
    "FormatOpt",
    "GraphFormatName",
    "GraphFormatOpt",
    "InterviewDepth",
    "JobsOpt",
    "JsonOpt",
    "KindOpt",
    "MarkdownOpt",
    "MaxSizeOpt",
    "MinScoreOpt",
    "NameArg",
    "NextOpt",
    "NoInputOpt",
    "OpenApiOpt",
    "OutputOpt",
    "OwnerOpt",
    "PathsArg",
    "PresetName",
    "PresetOpt",
    "QuietOpt",
    "ReasonOpt",
    "ReferencesOpt",
    "RemoveSystemOpt",
    "RenameSystemOpt",
    "ReportFormat",
    "ReviseOpt",
    "RuleNameArg",
    "SkipOpt",
    "SomeNameArg",
    "StrictOpt",
    "SystemKindOpt",
    "SystemNameOpt",
    "TemplateOpt",
    "TimeoutOpt",
    "UnsetOpt",
    "YesOpt",
]
