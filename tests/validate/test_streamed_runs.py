"""A large run is reported from its store, file by file: the same result as in memory.

A run with more findings than :data:`~interlock.validate.runner.HELD_FINDINGS` is read
back from its table as the report is written. These tests lower the threshold so that
small workspaces take that path, and compare everything a reporter sees, in every
format, with the same run held in memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from interlock.report import FORMATS, render_report
from interlock.validate import runner
from interlock.validate.registry import all_rules
from interlock.validate.result import RunResult, StreamedFiles
from interlock.validate.runner import ConfigRequest, validate_paths
from support.rule_checks import BLANK_KINDS, blank_path, blank_template

# An access key id of AWS's documented shape, made up for this test.
SECRET = "AKIAZ7QF3M4XJ2LPRT6N"


def spec(spec_id: str, body: str = "", **links: str) -> str:
    front = "".join(f"{relation}: {target}\n" for relation, target in links.items())
    return f"---\nid: {spec_id}\ntype: service_spec\n{front}---\n\n# {spec_id}\n\n{body}\n"


def workspace(root: Path) -> Path:
    """A workspace with findings of the document rules (blank templates), of every
    workspace rule (duplicate ids, dangling links, a cycle, a self link), a secret, a
    file that cannot be read, and paths whose string
    order differs from the order they are found in."""
    files: dict[str, str | bytes] = {blank_path(kind): blank_template(kind) for kind in BLANK_KINDS}
    files |= {
        "specs/a/b.md": spec("spec-dup", "Body text.", dependencies="[spec-missing]"),
        "specs/a-c.md": spec("spec-dup", "Body text.", parent="spec-a-c"),
        "specs/Ä.md": spec("spec-cycle-1", f"The key is {SECRET}.", dependencies="[spec-cycle-2]"),
        "specs/self.md": spec("spec-self", "Body.", related="[spec-self]"),
        "specs/shapes.md": spec(
            "spec-shapes",
            "## Empty\n\n## Table\n\n| a | b |\n| - | - |\n| 1 | 2 | 3 |\n\nOwner: TBD.",
        ).replace("type: service_spec\n", "type: service_spec\nversion: one\ncreatedAt: soon\n"),
        "specs/broken.md": "---\nid: [unclosed\n---\n\n# Broken\n\nBody.\n",
        "specs/bare.md": "# Bare\n\n## Integration Architecture\n\nText.\n",
        "specs/z.md": spec("spec-cycle-2", "Body.", dependencies="[spec-cycle-1, spec-gone]"),
        "specs/image.md": b"\x89PNG\r\n\x1a\n\x00\x00",
    }
    (root / ".interlock").mkdir(parents=True)
    (root / ".interlock" / "config.yaml").write_text("rules: {}\n", encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(root: Path, **options: bool) -> RunResult:
    return validate_paths(
        [root / "specs"], ConfigRequest(root, preset="production"), cwd=root, jobs=1, **options
    )


def reports(result: RunResult) -> dict[str, str]:
    return {fmt: render_report(result, fmt) for fmt in FORMATS}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return workspace(tmp_path / "repo")


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cache"])
def test_a_streamed_run_reports_what_a_held_one_does(
    root: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    held = run(root, use_cache=False)
    assert isinstance(held.files, tuple)
    rules = {finding.rule for finding in held.findings}
    assert rules == {rule.name for rule in all_rules()}, "a finding of every rule"

    monkeypatch.setattr(runner, "HELD_FINDINGS", 0)
    for attempt in ("cold", "warm"):
        streamed = run(root, use_cache=use_cache)
        assert isinstance(streamed.files, StreamedFiles), attempt
        assert len(streamed.files) == len(held.files)
        assert list(streamed.files) == list(held.files), attempt
        assert list(streamed.findings) == list(held.findings), attempt
        assert len(streamed.findings) == len(held.findings)
        assert (streamed.score, streamed.counts) == (held.score, held.counts)
        assert streamed.failed() == held.failed()
        assert reports(streamed) == reports(held), attempt
        streamed.close()


def test_a_run_without_the_cache_leaves_no_table_behind(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    run(root, use_cache=False)
    assert not list(scratch.iterdir()), "a held run removes its table at once"
    monkeypatch.setattr(runner, "HELD_FINDINGS", 0)
    streamed = run(root, use_cache=False)
    assert [path.name for path in scratch.iterdir()] != []
    streamed.close()
    assert not list(scratch.iterdir()), "a streamed run removes it when closed"
    with pytest.raises(Exception):  # noqa: B017 - a closed table cannot be walked
        list(streamed.files)


def test_a_streamed_run_that_is_never_closed_still_cleans_up(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(runner, "HELD_FINDINGS", 0)
    streamed = run(root, use_cache=False)
    assert list(streamed.findings)
    del streamed
    gc.collect()
    assert not list(scratch.iterdir())


def test_the_command_line_streams_a_large_run(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report written by ``interlock validate`` is the same, streamed or held."""
    from typer.testing import CliRunner

    from interlock.cli.app import app

    monkeypatch.chdir(root)
    cli = CliRunner()
    held = cli.invoke(app, ["validate", "--no-cache", "--format", "sarif", "specs"])
    monkeypatch.setattr(runner, "HELD_FINDINGS", 0)
    streamed = cli.invoke(app, ["validate", "--no-cache", "--format", "sarif", "specs"])
    assert (streamed.exit_code, streamed.stdout) == (held.exit_code, held.stdout)
    assert held.exit_code == 1
