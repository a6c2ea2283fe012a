"""The validation cache changes how fast a result arrives, never what it says.

A cache is a file, so a pull request, a careless colleague or a broken disk can put one
where Interlock looks: each test here plants or damages one, and the findings must be
those of a run without any cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from interlock.errors import InputError
from interlock.validate.cache import cache_folder, cache_root
from interlock.validate.runner import ConfigRequest, RunResult, validate_paths

# An access key id of AWS's documented shape, made up for this test.
AWS_KEY_SPEC = "# Billing\n\nThe key is AKIAZ7QF3M4XJ2LPRT6N and nothing else.\n"
CLEAN_SPEC = "# Billing\n\nThe key is kept in the vault, as the runbook says.\n"
SPEC = "specs/billing.md"
COLUMNS = ("digest", "stamp", "written_ns", "kind", "entry", "suppressions", "findings", "summary")


def workspace(root: Path, text: str = AWS_KEY_SPEC) -> Path:
    (root / ".interlock").mkdir(parents=True)
    (root / ".interlock" / "config.yaml").write_text("rules: {}\n", encoding="utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "billing.md").write_text(text, encoding="utf-8")
    return root


def run(root: Path, *, use_cache: bool = True) -> RunResult:
    return validate_paths([root / "specs"], ConfigRequest(root), cwd=root, use_cache=use_cache)


def rules(result: RunResult) -> list[str]:
    return [finding.rule for finding in result.findings]


def cache_file(root: Path) -> Path:
    [path] = cache_folder(root).glob("validate-*.sqlite")
    return path


def read_row(root: Path) -> dict[str, Any]:
    with sqlite3.connect(cache_file(root)) as connection:
        found = connection.execute(
            f"SELECT {', '.join(COLUMNS)} FROM outcome WHERE path = ?", (SPEC.encode(),)
        ).fetchone()
    return dict(zip(COLUMNS, found, strict=True))


def write_row(root: Path, row: dict[str, Any], key: bytes | None) -> None:
    """Write ``row`` in place of the spec's, signed with ``key`` (the user's when
    ``None``) the way the store's documentation says rows are signed."""
    key = key if key is not None else (cache_root() / "key").read_bytes()
    message = "\0".join([SPEC, *(str(row[column]) for column in COLUMNS)]).encode()
    mac = hmac.new(key, message, hashlib.sha256).digest()
    with sqlite3.connect(cache_file(root)) as connection:
        connection.execute(
            f"UPDATE outcome SET {', '.join(f'{c} = ?' for c in COLUMNS)}, mac = ? WHERE path = ?",
            (*(row[column] for column in COLUMNS), mac, SPEC.encode()),
        )


def age(path: Path, seconds: int = 10) -> None:
    """Make ``path`` look written ``seconds`` ago, so its stamp is not racy."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - seconds * 1_000_000_000))


def settle(root: Path, row: dict[str, Any]) -> dict[str, Any]:
    """Date ``row`` a minute after the file last changed, so its stamp is trusted."""
    changed = (root / SPEC).stat().st_ctime_ns
    return {**row, "written_ns": changed + 60_000_000_000}


def test_the_cache_lives_outside_the_workspace(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    run(root)
    assert not (root / ".interlock" / "cache").exists()
    assert cache_root() not in root.parents and root not in cache_root().parents
    assert cache_file(root).is_file()
    assert stat.S_IMODE(cache_file(root).stat().st_mode) == 0o600


def test_a_cache_planted_in_the_workspace_is_never_read(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    fresh = run(root, use_cache=False)
    assert "secret" in rules(fresh)
    planted = root / ".interlock" / "cache"
    planted.mkdir()
    for name in ("validate-0.sqlite", "validate-anything.json"):
        (planted / name).write_text(json.dumps({"entries": {SPEC: []}}), encoding="utf-8")
    assert rules(run(root)) == rules(fresh)


@pytest.mark.parametrize("signature", ["a guessed key", "unchanged"])
def test_a_row_forged_without_the_key_is_ignored(tmp_path: Path, signature: str) -> None:
    root = workspace(tmp_path / "repo")
    cold = run(root)
    row = settle(
        root, {**read_row(root), "findings": "[]", "summary": "[100,20,20,20,20,20,0,0,0]"}
    )
    if signature == "unchanged":  # the columns edited, the old signature left in place
        with sqlite3.connect(cache_file(root)) as connection:
            connection.execute(
                "UPDATE outcome SET findings = ?, summary = ?, written_ns = ? WHERE path = ?",
                (row["findings"], row["summary"], row["written_ns"], SPEC.encode()),
            )
    else:  # the right shape, signed with a key the forger chose rather than the user's
        write_row(root, row, b"0" * 32)
    age(root / SPEC)
    warm = run(root)
    assert "secret" in rules(warm)
    assert list(warm.findings) == list(cold.findings)


@pytest.mark.parametrize(
    "findings",
    ["garbage", '"not a list"', "[[1]]", "[" * 200_000, '[[1,1,"X","r","bad","m","","content"]]'],
)
def test_a_damaged_but_signed_row_is_dropped_with_a_clear_message(
    tmp_path: Path, findings: str
) -> None:
    """Only the holder of the key can sign a row: one that is damaged all the same
    stops the run with a message, never a traceback, and the next run checks afresh."""
    root = workspace(tmp_path / "repo")
    cold = run(root)
    write_row(root, settle(root, {**read_row(root), "findings": findings}), None)
    with pytest.raises(InputError, match=r"could not be read back from the cache.*run again"):
        run(root)
    assert list(run(root).findings) == list(cold.findings)


def test_a_database_that_is_not_one_is_started_afresh(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    cold = run(root)
    cache_file(root).write_bytes(b"garbage\n{not a database" * 100)
    assert list(run(root).findings) == list(cold.findings)
    assert read_row(root)["digest"], "the cache was rebuilt"


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo", CLEAN_SPEC.replace("vault", "VAULT"))
    spec = root / SPEC
    age(spec, 60)
    before = spec.stat()
    assert "secret" not in rules(run(root))
    edited = AWS_KEY_SPEC.ljust(len(CLEAN_SPEC))[: len(CLEAN_SPEC)]
    spec.write_text(edited, encoding="utf-8")
    os.utime(spec, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = spec.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert "secret" in rules(run(root))


def test_a_settled_file_is_served_from_the_cache(tmp_path: Path) -> None:
    """The stamp shortcut still works: an unchanged file is not read again."""
    root = workspace(tmp_path / "repo", CLEAN_SPEC)
    age(root / SPEC, 60)
    run(root)
    # Sign a row that differs from a fresh check: only a cache hit can report it.
    marker = [[1, 1, "IL999", "marker", "info", "from the cache", "", "content"]]
    write_row(root, settle(root, {**read_row(root), "findings": json.dumps(marker)}), None)
    assert rules(run(root)) == ["marker"]
    assert "marker" not in rules(run(root, use_cache=False))


def test_a_racy_row_sends_the_run_back_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row written within two seconds of the file's last change is not trusted on
    its stamp: the file is read, and its content decides."""
    from interlock.validate import runner

    root = workspace(tmp_path / "repo", CLEAN_SPEC)
    run(root)
    changed = (root / SPEC).stat().st_ctime_ns
    reads: list[Path] = []
    original = runner.read_with_status

    def counting(path: Path, **kwargs: Any) -> Any:
        reads.append(path)
        return original(path, **kwargs)

    monkeypatch.setattr(runner, "read_with_status", counting)
    write_row(root, {**read_row(root), "written_ns": changed + 1_000_000_000}, None)
    run(root)
    assert [path.name for path in reads] == ["billing.md"]
    write_row(root, settle(root, read_row(root)), None)
    run(root)
    assert [path.name for path in reads] == ["billing.md"], "a settled row is trusted"


@pytest.mark.parametrize("mode", [0o644, 0o604])
def test_a_key_others_can_read_turns_the_cache_off(tmp_path: Path, mode: int) -> None:
    root = workspace(tmp_path / "repo")
    run(root)
    key = cache_root() / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.chmod(mode)
    try:
        cache_file(root).unlink()
        assert "secret" in rules(run(root))
        assert not list(cache_folder(root).glob("validate-*.sqlite")), "nothing signed with it"
    finally:
        key.chmod(0o600)


def test_a_cache_another_run_holds_is_waited_for_then_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interlock.validate import store

    monkeypatch.setattr(store, "_BUSY_MS", 200)
    root = workspace(tmp_path / "repo")
    cold = run(root)
    before = read_row(root)
    (root / SPEC).write_text(CLEAN_SPEC, encoding="utf-8")
    holder = sqlite3.connect(cache_file(root), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert "secret" not in rules(run(root)), "checked without the cache"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert read_row(root) == before
    assert "secret" in rules(cold)


def test_a_fifo_in_place_of_the_cache_is_ignored(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    cold = run(root)
    path = cache_file(root)
    path.unlink()
    os.mkfifo(path)
    # Opening a FIFO for reading blocks until a writer comes: the run must not wait.
    completed = subprocess.run(
        [sys.executable, "-m", "interlock", "validate", "--format", "json", "specs"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    report = json.loads(completed.stdout)
    assert [finding["rule"] for finding in report["findings"]] == rules(cold)


def cli(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interlock", "validate", *args, "specs"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def test_ci_runs_without_a_cache_unless_asked(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    folder = tmp_path / "caches"
    ci = {"CI": "true", "INTERLOCK_CACHE_DIR": str(folder)}
    assert cli(root, env=ci).returncode == 1
    assert not list(folder.rglob("validate-*.sqlite"))
    assert cli(root, "--cache", env=ci).returncode == 1
    assert len(list(folder.rglob("validate-*.sqlite"))) == 1
    local = {"CI": "", "INTERLOCK_CACHE_DIR": str(tmp_path / "local")}
    assert cli(root, env=local).returncode == 1
    assert len(list((tmp_path / "local").rglob("validate-*.sqlite"))) == 1
