"""Progress on stderr: when it shows, what it says, and that it never changes the output.

The unit tests draw on a stand-in terminal in-process; the others run ``interlock`` in
a real pseudo-terminal, with ``INTERLOCK_PROGRESS_DELAY=0`` so that a short run shows
its progress too.
"""

from __future__ import annotations

import io
import os
import shlex
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from interlock.cli.progress import (
    DEFAULT_DELAY,
    DELAY_VARIABLE,
    progress_delay,
    progress_enabled,
    running_in_ci,
    show_progress,
)
from interlock.workspace.layout import init_workspace
from support.terminal import INTERLOCK

SPECS = 400
SPEC = "# Spec {n}\n\nIntro.\n\n## Empty\n\n## Also empty\n"
PAYMENTS = Path(__file__).parents[1] / "research" / "fixtures" / "payments-3.1.yaml"


class _Terminal(io.StringIO):
    """Stands in for stderr on a terminal."""

    def isatty(self) -> bool:
        return True


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("quiet", "environ", "stream", "shown"),
    [
        (False, {}, _Terminal(), True),
        (False, {"CI": "false"}, _Terminal(), True),
        (True, {}, _Terminal(), False),
        (False, {"CI": "true"}, _Terminal(), False),
        (False, {"CI": " TRUE "}, _Terminal(), False),
        (False, {"CI": "1"}, _Terminal(), False),
        (False, {"TERM": "dumb"}, _Terminal(), False),
        (False, {}, _Pipe(), False),
    ],
    ids=["terminal", "ci-false", "quiet", "ci-true", "ci-true-spaced", "ci-1", "dumb", "pipe"],
)
def test_progress_shows_only_on_a_terminal_outside_ci_unless_quiet(
    quiet: bool, environ: dict[str, str], stream: io.StringIO, shown: bool
) -> None:
    assert progress_enabled(quiet=quiet, environ=environ, stream=stream) is shown


def test_a_closed_stderr_shows_no_progress() -> None:
    stream = io.StringIO()  # whose isatty raises ValueError once closed, as a file's does
    stream.close()
    assert not progress_enabled(quiet=False, environ={}, stream=stream)


@pytest.mark.parametrize(
    ("given", "delay"),
    [
        ("", DEFAULT_DELAY),
        ("0", 0.0),
        ("2.5", 2.5),
        ("soon", DEFAULT_DELAY),
        ("-1", DEFAULT_DELAY),
        ("inf", DEFAULT_DELAY),
        ("nan", DEFAULT_DELAY),
    ],
    ids=["unset", "zero", "seconds", "not-a-number", "negative", "infinite", "nan"],
)
def test_the_delay_comes_from_the_environment(given: str, delay: float) -> None:
    assert progress_delay({DELAY_VARIABLE: given}) == delay


def test_ci_is_read_from_the_environment() -> None:
    assert running_in_ci({"CI": "yes"})
    assert not running_in_ci({})


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> _Terminal:
    """A terminal to draw on, outside CI, progress shown at once."""
    stream = _Terminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setenv(DELAY_VARIABLE, "0")
    return stream


def _until(condition: Callable[[], bool], step: Callable[[], None] = lambda: None) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "progress never drew what was expected"
        step()
        time.sleep(0.02)


def test_files_done_of_total_rate_and_time_left(terminal: _Terminal) -> None:
    done = 0

    def one_more() -> None:
        nonlocal done
        done = min(done + 1, 999)
        progress(done, 1000)

    with show_progress("validating", stream=terminal) as progress:
        _until(lambda: "validating" in terminal.getvalue())
        _until(lambda: "files/s" in terminal.getvalue(), one_more)
        progress.stage("writing the report")
        _until(lambda: "writing the report" in terminal.getvalue())
    drawn = terminal.getvalue()
    assert "/1,000 files · " in drawn
    assert " left" in drawn
    assert drawn.endswith("\x1b[2K"), "the line is erased when the work ends"


def test_a_run_shorter_than_the_delay_draws_nothing(
    terminal: _Terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DELAY_VARIABLE, "30")
    began = time.monotonic()
    with show_progress("validating", stream=terminal) as progress:
        progress(1, 2)
    assert time.monotonic() - began < 5, "closing does not wait out the delay"
    assert terminal.getvalue() == ""
    assert not any(thread.name == "interlock-progress" for thread in threading.enumerate())


def test_quiet_progress_starts_nothing_and_draws_nothing(terminal: _Terminal) -> None:
    with show_progress("validating", quiet=True, stream=terminal) as progress:
        progress(1, 2)
        progress.stage("writing the report")
        assert not any(thread.name == "interlock-progress" for thread in threading.enumerate())
    assert terminal.getvalue() == ""


def test_the_line_is_erased_when_the_work_fails(terminal: _Terminal) -> None:
    with pytest.raises(KeyError), show_progress("validating", stream=terminal):
        _until(lambda: "validating" in terminal.getvalue())
        raise KeyError("boom")
    assert terminal.getvalue().endswith("\x1b[2K")


# -- the command in a pseudo-terminal -----------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of specs with two findings each: enough for progress to draw."""
    root = tmp_path_factory.mktemp("corpus")
    (root / ".interlock").mkdir()
    (root / ".interlock" / "config.yaml").write_text("types:\n  'specs/**': markdown\n")
    for n in range(SPECS):
        folder = root / "specs" / f"group-{n % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"spec-{n:04d}.md").write_text(SPEC.format(n=n), encoding="utf-8")
    return root


def _in_terminal(
    folder: Path, shell: str, *, ci: bool = False, delay: str = "0"
) -> tuple[str, int | None]:
    """Run ``shell`` (``$INTERLOCK`` is the command) in a terminal; return what it showed."""
    env = {
        **os.environ,
        "TERM": "xterm",
        "INTERLOCK": INTERLOCK,
        "INTERLOCK_CACHE_DIR": str(folder / ".cache"),
        DELAY_VARIABLE: delay,
    }
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", shell],
        cwd=str(folder),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 160),
    )
    shown = child.read()
    child.close()
    return shown, child.exitstatus


def _validate(out: str) -> str:
    return f'"$INTERLOCK" validate --no-cache --no-color > {shlex.quote(out)}'


@pytest.fixture(scope="module")
def report(corpus: Path) -> bytes:
    """The report of a run that shows no progress, as it is written to stdout."""
    shown, status = _in_terminal(corpus, _validate("reference.txt") + " --quiet")
    assert (shown, status) == ("", 0)
    written = (corpus / "reference.txt").read_bytes()
    assert written.count(b"empty-section") == 2 * SPECS
    return written


def test_validate_shows_progress_on_stderr_only(corpus: Path, report: bytes) -> None:
    shown, status = _in_terminal(corpus, _validate("shown.txt"))
    assert status == 0
    assert "validating" in shown
    assert f"/{SPECS:,} files" in shown, "files done of total"
    assert "\x1b[2K" in shown, "the line is erased"
    assert (corpus / "shown.txt").read_bytes() == report


@pytest.mark.parametrize(
    ("shell", "ci"),
    [
        ('"$INTERLOCK" validate --no-cache --no-color 2>&1 > out.txt | cat > err.txt', False),
        (_validate("out.txt"), True),
        (_validate("out.txt") + " --quiet", False),
    ],
    ids=["stderr-piped", "ci-true", "quiet"],
)
def test_no_progress_piped_in_ci_or_quiet(
    corpus: Path, report: bytes, shell: str, ci: bool
) -> None:
    (corpus / "err.txt").unlink(missing_ok=True)
    shown, status = _in_terminal(corpus, shell, ci=ci)
    assert (shown, status) == ("", 0)
    assert (corpus / "out.txt").read_bytes() == report
    errors = corpus / "err.txt"
    assert not errors.exists() or errors.read_bytes() == b""


def test_the_report_follows_the_erased_line_on_a_shared_terminal(corpus: Path) -> None:
    shown, status = _in_terminal(corpus, '"$INTERLOCK" validate --no-cache --no-color')
    assert status == 0
    erased = shown.rindex("\x1b[2K")
    assert shown.index("validating") < erased < shown.index("specs/group-0/spec-0000.md")
    report = shown[erased + len("\x1b[2K") :].replace("\r\n", "\n")
    assert report.count("empty-section") == 2 * SPECS


def test_research_shows_its_stage(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    command = f'"$INTERLOCK" research payments --openapi {shlex.quote(str(PAYMENTS))}'
    shown, status = _in_terminal(tmp_path, command + " > out.txt")
    assert status == 0
    assert "researching the OpenAPI document" in shown
    assert "wrote     specs/payments/research/" in (tmp_path / "out.txt").read_text()
