"""A checkout Interlock cannot write to: reading the interview needs no lock it cannot take.

A read-only checkout (a CI cache, a mounted volume, another user's clone) or a lock
file committed by mistake must not stop ``interlock status`` or ``interview --next``:
they only read, and the answers file is replaced by renames, so a read without the
lock still sees one whole file. Answering there is refused, saying why.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from interlock.interview import store as store_module
from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

SUMMARY = "Charge cards at checkout."
READS = [
    ["status", "pay"],
    ["status", "pay", "--json"],
    ["status"],
    ["interview", "pay", "--next"],
    ["interview", "pay", "--next", "--json"],
    ["interview", "pay", "--no-input"],
]
READ_IDS = ["status", "status-json", "status-all", "next", "next-json", "no-input"]


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    answered = run_cli("interview", "pay", "--by", "ci", "--answer", f"problem.summary={SUMMARY}")
    assert answered.exit_code == 0, answered.output
    return outside_workspace


def _files(folder: Path) -> dict[str, bytes | None]:
    return {
        entry.name: entry.read_bytes() if entry.is_file() else None
        for entry in sorted(folder.iterdir())
    }


def _refuse_locks(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    class RefusedLock:
        def __init__(self, path: Path, timeout: float) -> None:
            self.path = path

        def acquire(self) -> None:
            raise type(error)(error.errno, error.strerror, str(self.path))

    monkeypatch.setattr(store_module, "FileLock", RefusedLock)


def _assert_read(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    if "--json" in args and args[0] == "interview":
        assert json.loads(result.output)["progress"]["answered"] == 1
    else:
        assert "pay" in result.output


@pytest.mark.parametrize("args", READS, ids=READ_IDS)
@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.EROFS, "Read-only file system"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
    ids=["read-only-mount", "read-only-lock-file"],
)
def test_reads_work_where_the_lock_cannot_be_taken(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], error: OSError
) -> None:
    folder = workspace / "specs" / "pay"
    before = _files(folder)
    _refuse_locks(monkeypatch, error)
    _assert_read(args)
    assert _files(folder) == before


@pytest.mark.parametrize("args", READS, ids=READ_IDS)
def test_reads_work_with_a_folder_where_the_lock_file_goes(
    workspace: Path, args: list[str]
) -> None:
    folder = workspace / "specs" / "pay"
    (folder / ".interview.yaml.lock").unlink()
    (folder / ".interview.yaml.lock").mkdir()
    before = _files(folder)
    _assert_read(args)
    assert _files(folder) == before


def test_an_answer_in_a_read_only_checkout_is_refused_saying_why(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = workspace / "specs" / "pay" / "interview.yaml"
    before = answers.read_bytes()
    _refuse_locks(monkeypatch, OSError(errno.EROFS, "Read-only file system"))
    result = run_cli("interview", "pay", "--answer", "problem.why=Batch files are late.")
    assert result.exit_code == 2
    assert "cannot lock the answers file: Read-only file system" in result.output
    assert "reading (interlock status, interview --next) works as it is" in result.output
    assert answers.read_bytes() == before


def test_next_still_starts_an_interview_that_has_not_begun(workspace: Path) -> None:
    result = run_cli("interview", "orders", "--next", "--json")
    assert result.exit_code == 0, result.output
    assert (workspace / "specs" / "orders" / "interview.yaml").is_file()


# --- a real read-only checkout, as a user who cannot write to it -------------------------

_UNPRIVILEGED = "65534"  # nobody


def _unprivileged_python() -> list[str]:
    """Return a command running this Python's interlock as user nobody, or skip."""
    setpriv = shutil.which("setpriv")
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv, to run Interlock as a user who cannot write")
    drop = [setpriv, f"--reuid={_UNPRIVILEGED}", f"--regid={_UNPRIVILEGED}", "--clear-groups"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(version)):
        if python is None:
            continue
        probe = subprocess.run([*drop, python, "-c", "import interlock"], capture_output=True)
        if probe.returncode == 0:
            return [*drop, python]
    pytest.skip(f"no {version} that user nobody may run (the interpreter's folder is private)")


@pytest.fixture
def readable_workspace(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A workspace in a folder anyone may read and none but root may write."""
    root = Path(tempfile.mkdtemp(prefix="interlock-read-only-"))
    try:
        root.chmod(0o755)
        monkeypatch.chdir(root)
        init_workspace(root)
        answered = run_cli("interview", "pay", "--answer", f"problem.summary={SUMMARY}")
        assert answered.exit_code == 0, answered.output
        yield root
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize("lock_file", [True, False], ids=["lock-committed", "no-lock-file"])
def test_a_user_who_cannot_write_the_checkout_can_read_it(
    readable_workspace: Path, lock_file: bool
) -> None:
    command = _unprivileged_python()
    folder = readable_workspace / "specs" / "pay"
    if not lock_file:
        (folder / ".interview.yaml.lock").unlink()
    before = _files(folder)
    env = {
        **os.environ,
        "HOME": str(readable_workspace),
        "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for args in READS:
        done = subprocess.run(
            [*command, "-m", "interlock", *args],
            cwd=readable_workspace,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (args, done.stderr)
        assert "problem.why" in done.stdout or "pay" in done.stdout
    refused = subprocess.run(
        [*command, "-m", "interlock", "interview", "pay", "--answer", "problem.why=Late."],
        cwd=readable_workspace,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2, refused.stderr
    assert "error: cannot" in refused.stderr
    assert _files(folder) == before
