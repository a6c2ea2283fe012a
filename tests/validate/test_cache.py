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
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from interlock.validate.cache import cache_folder, cache_root
from interlock.validate.runner import ConfigRequest, RunResult, validate_paths

# An access key id of AWS's documented shape, made up for this test.
AWS_KEY_SPEC = "# Billing\n\nThe key is AKIAZ7QF3M4XJ2LPRT6N and nothing else.\n"
CLEAN_SPEC = "# Billing\n\nThe key is kept in the vault, as the runbook says.\n"


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
    [path] = cache_folder(root).glob("validate-*.json")
    return path


def signed(payload: dict[str, Any]) -> bytes:
    """Sign ``payload`` the way Interlock does, with the key of the user's cache."""
    body = json.dumps(payload).encode()
    key = (cache_root() / "key").read_bytes()
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode() + b"\n" + body


def payload_of(path: Path) -> dict[str, Any]:
    _, _, body = path.read_bytes().partition(b"\n")
    loaded: dict[str, Any] = json.loads(body)
    return loaded


def age(path: Path, seconds: int = 10) -> None:
    """Make ``path`` look written ``seconds`` ago, so its stamp is not racy."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - seconds * 1_000_000_000))


def test_the_cache_lives_outside_the_workspace(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    run(root)
    assert not (root / ".interlock" / "cache").exists()
    assert cache_root() not in root.parents and root not in cache_root().parents
    assert cache_file(root).is_file()


def test_a_cache_planted_in_the_workspace_is_never_read(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    fresh = run(root, use_cache=False)
    assert "secret" in rules(fresh)
    planted = root / ".interlock" / "cache"
    planted.mkdir()
    forged = {"format": 2, "entries": {"specs/billing.md": {"findings": []}}}
    for name in ("validate-0.json", "validate-anything.json"):
        (planted / name).write_text(json.dumps(forged), encoding="utf-8")
    assert run(root).findings == fresh.findings


@pytest.mark.parametrize("signature", ["a guessed key", "none"])
def test_an_entry_forged_without_the_key_is_ignored(tmp_path: Path, signature: str) -> None:
    root = workspace(tmp_path / "repo")
    cold = run(root)
    path = cache_file(root)
    payload = payload_of(path)
    payload["entries"]["specs/billing.md"]["findings"] = []
    body = json.dumps(payload).encode()
    if signature == "none":
        path.write_bytes(body)
    else:  # the right shape, signed with a key the forger chose rather than the user's
        path.write_bytes(
            hmac.new(b"0" * 32, body, hashlib.sha256).hexdigest().encode() + b"\n" + body
        )
    age(root / "specs" / "billing.md")
    warm = run(root)
    assert "secret" in rules(warm)
    assert warm.findings == cold.findings


def test_a_damaged_but_signed_entry_is_checked_again(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    cold = run(root)
    path = cache_file(root)
    payload = payload_of(path)
    payload["entries"]["specs/billing.md"]["findings"] = "garbage"
    path.write_bytes(signed(payload))
    assert run(root).findings == cold.findings
    path.write_bytes(b"garbage\n{not json")
    assert run(root).findings == cold.findings


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo", CLEAN_SPEC.replace("vault", "VAULT"))
    spec = root / "specs" / "billing.md"
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
    spec = root / "specs" / "billing.md"
    age(spec, 60)
    run(root)
    # Sign an entry that differs from a fresh check: only a cache hit can report it.
    path = cache_file(root)
    payload = payload_of(path)
    entry = payload["entries"]["specs/billing.md"]
    entry["findings"] = [[1, 1, "IL999", "marker", "info", "from the cache", "", "content"]]
    payload["written_ns"] = spec.stat().st_ctime_ns + 60_000_000_000
    path.write_bytes(signed(payload))
    assert rules(run(root)) == ["marker"]
    assert "marker" not in rules(run(root, use_cache=False))


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
        assert not list(cache_folder(root).glob("validate-*.json")), "nothing signed with it"
    finally:
        key.chmod(0o600)


def test_a_deeply_nested_cache_file_is_ignored(tmp_path: Path) -> None:
    root = workspace(tmp_path / "repo")
    cold = run(root)
    cache_file(root).write_bytes(signed({}).split(b"\n")[0] + b"\n" + b"[" * 200_000)
    assert run(root).findings == cold.findings


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
    assert not list(folder.rglob("validate-*.json"))
    assert cli(root, "--cache", env=ci).returncode == 1
    assert len(list(folder.rglob("validate-*.json"))) == 1
    local = {"CI": "", "INTERLOCK_CACHE_DIR": str(tmp_path / "local")}
    assert cli(root, env=local).returncode == 1
    assert len(list((tmp_path / "local").rglob("validate-*.json"))) == 1
