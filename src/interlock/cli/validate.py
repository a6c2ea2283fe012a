"""``interlock validate``: lint spec documents and report findings."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import typer

from interlock.cli.options import (
    CacheOpt,
    ColorOpt,
    ConfigOpt,
    FailOnOpt,
    FormatOpt,
    JobsOpt,
    MinScoreOpt,
    OutputOpt,
    PathsArg,
    PresetOpt,
    QuietOpt,
    ReportFormat,
)
from interlock.workspace.root import find_root, require_specs


def validate(
    paths: PathsArg = None,
    preset: PresetOpt = None,
    report_format: FormatOpt = ReportFormat.TEXT,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    min_score: MinScoreOpt = None,
    config: ConfigOpt = None,
    jobs: JobsOpt = None,
    cache: CacheOpt = None,
    color: ColorOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Lint spec documents and report findings (exit 1 when the run fails)."""
    # Imported here, so that `interlock --help` starts fast.
    from interlock.cli.output import stream_output
    from interlock.cli.progress import show_progress
    from interlock.model.finding import Severity
    from interlock.report import write_report
    from interlock.validate.runner import ConfigRequest, validate_paths

    cwd = Path.cwd()
    request = ConfigRequest(
        cwd,
        preset=preset.value if preset else None,
        config_file=config,
        fail_on=Severity(fail_on) if fail_on else None,
        min_score=min_score,
    )
    targets = paths or [require_specs(find_root(cwd) or cwd)]
    colored = color if color is not None else (output is None and sys.stdout.isatty())
    # The report is written once the progress line is erased, never beneath it, and
    # as it is made: a report on a hundred thousand files is never held whole.
    with show_progress("validating", quiet=quiet) as progress:
        # The run allocates many small objects and frees them all at its end: with the
        # collector paused a warm run is ~15% faster (docs/decisions.md). A process-wide
        # switch, so it lives here at the edge, never in the core a server imports.
        gc.disable()
        try:
            result = validate_paths(
                targets, request, jobs=jobs, use_cache=_use_cache(cache), on_progress=progress
            )
        finally:
            gc.enable()
    try:
        stream_output(
            lambda sink: write_report(result, report_format.value, sink, color=colored), output
        )
    finally:
        result.close()
    raise typer.Exit(1 if result.failed() else 0)


def _use_cache(asked: bool | None) -> bool:
    """Cache unless told not to, or in CI, where a fresh checkout is checked afresh.

    CI services set ``CI=true``; a pipeline that keeps the cache folder between runs
    turns it back on with ``--cache``.
    """
    from interlock.cli.progress import running_in_ci

    return asked if asked is not None else not running_in_ci()


__all__ = [
    "validate",
]
