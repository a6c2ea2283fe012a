from pathlib import Path
from typing import Any

import pytest

from interlock.errors import UsageError
from interlock.model.finding import Severity
from interlock.validate import runner
from interlock.validate.cache import cache_folder
from interlock.validate.registry import find_rule
from interlock.validate.runner import ConfigRequest, validate_paths

EMPTY_SECTIONS = "# Title\n\nIntro.\n\n## Empty\n\n## Also empty\n"


def make_workspace(tmp_path: Path, files: dict[str, str | bytes], config: str = "") -> Path:
    (tmp_path / ".interlock").mkdir(parents=True)
    (tmp_path / ".interlock" / "config.yaml").write_text(config or "rules: {}\n", encoding="utf-8")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


def run(root: Path, *paths: str, **kwargs: object):  # type: ignore[no-untyped-def]
    targets = [root / path for path in paths] or [root / "specs"]
    return validate_paths(targets, ConfigRequest(root), cwd=root, **kwargs)  # type: ignore[arg-type]


def empty_section_lines(result) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(f.path, f.line) for f in result.findings if f.rule == "empty-section"]


def test_findings_carry_display_path_rule_code_and_fix(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {"specs/a.md": EMPTY_SECTIONS})
    result = run(root)
    assert empty_section_lines(result) == [("specs/a.md", 5), ("specs/a.md", 7)]
    finding = next(f for f in result.findings if f.rule == "empty-section")
    assert finding.code == "IL203"
    assert finding.severity is Severity.WARNING
    assert finding.fix


def test_config_severity_off_silences_and_error_fails(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path, {"specs/a.md": EMPTY_SECTIONS}, "rules:\n  empty-section: off\n"
    )
    assert empty_section_lines(run(root)) == []
    (root / ".interlock" / "config.yaml").write_text("rules:\n  empty-section: error\n")
    assert run(root).failed()


def test_inline_suppression(tmp_path: Path) -> None:
    text = "# Title\n\nIntro.\n\n<!-- interlock-disable-next-line empty-section -->\n## Empty\n\n## B\n\nx\n"
    root = make_workspace(tmp_path, {"specs/a.md": text})
    assert empty_section_lines(run(root)) == []


def test_kind_override_by_glob(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path, {"specs/notes/a.md": "# Notes\n"}, "types:\n  'specs/notes/**': markdown\n"
    )
    assert run(root).files[0].kind == "markdown"


def test_exclude_globs_and_explicit_files(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path,
        {"specs/a.md": "# A\n\ntext\n", "specs/drafts/b.md": "# B\n\ntext\n"},
        "exclude: ['**/drafts/**']\n",
    )
    assert [file.path for file in run(root).files] == ["specs/a.md"]
    explicit = run(root, "specs/drafts/b.md")
    assert [file.path for file in explicit.files] == ["specs/drafts/b.md"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {})
    with pytest.raises(UsageError, match="no such file"):
        run(root, "specs/missing.md")


def test_warm_cache_gives_the_same_result_and_notices_edits(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {"specs/a.md": EMPTY_SECTIONS, "specs/b.md": "# B\n\nok\n"})
    cold = run(root)
    caches = list(cache_folder(root).glob("validate-*.sqlite"))
    assert len(caches) == 1
    warm = run(root)
    assert warm.findings == cold.findings
    (root / "specs" / "a.md").write_text("# Title\n\nAll good.\n", encoding="utf-8")
    assert empty_section_lines(run(root)) == []


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {"specs/a.md": EMPTY_SECTIONS})
    run(root, use_cache=False)
    assert not cache_folder(root).exists()


def test_worker_processes_agree_with_one_process(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"specs/doc{index:03d}.md": EMPTY_SECTIONS if index % 3 else "# T\n\nok\n"
        for index in range(runner._PARALLEL_FROM + 10)
    }
    root = make_workspace(tmp_path, files)
    serial = run(root, jobs=1, use_cache=False)
    parallel = run(root, jobs=2, use_cache=False)
    assert parallel.findings == serial.findings
    assert len(parallel.files) == len(files)


def test_a_crashing_rule_becomes_a_finding_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = find_rule("empty-section")
    assert rule is not None

    def explode(doc: object, options: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(rule.module, "check", explode)
    root = make_workspace(tmp_path, {"specs/a.md": EMPTY_SECTIONS, "specs/b.md": "# B\n"})
    result = run(root, jobs=1, use_cache=False)
    crashes = [f for f in result.findings if "failed on this file" in f.message]
    assert {f.path for f in crashes} == {"specs/a.md", "specs/b.md"}
    assert "ValueError: boom" in crashes[0].message


def spec(spec_id: str, *, dependencies: str = "[]") -> str:
    return f"---\nid: {spec_id}\ndependencies: {dependencies}\n---\n# {spec_id}\n\nText.\n"


def test_one_file_of_a_workspace_sees_every_id_of_it(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path,
        {
            "specs/a.md": spec("spec-a", dependencies="[spec-b]"),
            "specs/b.md": spec("spec-b", dependencies="[spec-missing]"),
        },
    )
    result = run(root, "specs/a.md")
    assert [file.path for file in result.files] == ["specs/a.md"]
    assert not [f for f in result.findings if f.rule == "dangling-link"]
    whole = run(root)
    dangling = [(f.path, f.line) for f in whole.findings if f.rule == "dangling-link"]
    assert dangling == [("specs/b.md", 3)]


def test_duplicate_id_outside_the_requested_files_is_still_found(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path, {"specs/a.md": spec("spec-a"), "specs/old/a-copy.md": spec("spec-a")}
    )
    result = run(root, "specs/a.md")
    duplicates = [f for f in result.findings if f.rule == "duplicate-id"]
    assert [f.path for f in duplicates] == ["specs/a.md"]
    assert "specs/old/a-copy.md" in duplicates[0].message


def test_warm_run_trusts_settled_stamps_and_reads_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time
    from types import SimpleNamespace

    root = make_workspace(tmp_path, {"specs/a.md": EMPTY_SECTIONS, "specs/b.md": "# B\n\nok\n"})
    # A file's change time cannot be set back, so the cache is written "later" instead:
    # both files then look settled, as they do a few seconds after a checkout.
    later = SimpleNamespace(time_ns=lambda: time.time_ns() + 10_000_000_000)
    monkeypatch.setattr(runner, "time", later)
    cold = run(root, jobs=1)
    reads: list[Path] = []
    original = runner.read_with_status

    def counting(path: Path, **kwargs: int) -> tuple[bytes, os.stat_result]:
        reads.append(path)
        return original(path, **kwargs)

    monkeypatch.setattr(runner, "read_with_status", counting)
    assert run(root, jobs=1).findings == cold.findings
    assert reads == []
    (root / "specs" / "b.md").write_text("# B\n\n## Now empty\n", encoding="utf-8")
    changed = run(root, jobs=1)
    assert [path.name for path in reads] == ["b.md"]
    assert ("specs/b.md", 3) in empty_section_lines(changed)


def test_other_specs_of_the_workspace_are_read_for_their_links_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(
        tmp_path,
        {
            "specs/a.md": spec("spec-a", dependencies="[spec-b]"),
            "specs/b.md": spec("spec-b") + "\n## Empty\n",
            "specs/c.md": spec("spec-c"),
        },
    )
    parsed: list[Path] = []
    original = runner.parse_document

    def counting(text: str, **kwargs: object):  # type: ignore[no-untyped-def]
        parsed.append(kwargs["path"])  # type: ignore[arg-type]
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "parse_document", counting)
    result = run(root, "specs/a.md", use_cache=False)
    assert [path.name for path in parsed] == ["a.md"]
    assert [file.path for file in result.files] == ["specs/a.md"]
    assert not [f for f in result.findings if f.rule == "dangling-link"]


PLAN_WITH_EMPTY_CRITERIA = "# Plan\n\n## Success Criteria\n\n## Notes\n\nAsk the vendor.\n"
"""A plan whose one required section is empty (line 3)."""


def _plan_findings(root: Path, preset: str = "review") -> list[tuple[str, int, Severity]]:
    result = validate_paths(
        [root / "specs"], ConfigRequest(root, preset=preset), cwd=root, use_cache=False
    )
    return [(f.rule, f.line, f.severity) for f in result.findings]


def test_an_empty_required_section_is_reported_once_by_the_rule_that_requires_it(
    tmp_path: Path,
) -> None:
    root = make_workspace(tmp_path, {"specs/pay/plan.md": PLAN_WITH_EMPTY_CRITERIA})
    assert _plan_findings(root) == [("required-section", 3, Severity.ERROR)]
    assert _plan_findings(root, "production") == [("required-section", 3, Severity.ERROR)]
    assert _plan_findings(root, "draft") == [("required-section", 3, Severity.WARNING)]


def test_an_empty_section_is_still_reported_when_required_section_does_not_say_it(
    tmp_path: Path,
) -> None:
    suppressed = PLAN_WITH_EMPTY_CRITERIA.replace(
        "## Success", "<!-- interlock-disable-next-line required-section -->\n## Success"
    )
    root = make_workspace(tmp_path / "suppressed", {"specs/pay/plan.md": suppressed})
    assert _plan_findings(root) == [("empty-section", 4, Severity.WARNING)]
    quieter = "rules:\n  required-section: info\n  empty-section: error\n"
    root = make_workspace(
        tmp_path / "quieter", {"specs/pay/plan.md": PLAN_WITH_EMPTY_CRITERIA}, quieter
    )
    assert sorted(_plan_findings(root)) == [
        ("empty-section", 3, Severity.ERROR),
        ("required-section", 3, Severity.INFO),
    ]


# Two CPUs: one worker process, and the run's own process checks files too.
@pytest.mark.parametrize(("asked", "started"), [(64, 1), (2, 1), (1, None)], ids=str)
def test_jobs_are_capped_at_the_cpu_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asked: int, started: int | None
) -> None:
    pools: list[int] = []
    real_pool = runner.ProcessPoolExecutor

    def counted_pool(*, max_workers: int, **kwargs: Any) -> Any:
        pools.append(max_workers)
        return real_pool(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(runner, "ProcessPoolExecutor", counted_pool)
    monkeypatch.setattr(runner, "_PARALLEL_FROM", 2)
    for number in range(4):
        write_spec = tmp_path / "specs" / f"s{number}.md"
        write_spec.parent.mkdir(parents=True, exist_ok=True)
        write_spec.write_text(f"# Spec {number}\n\nText.\n", encoding="utf-8")
    result = run(tmp_path, jobs=asked, use_cache=False)
    assert len(result.files) == 4
    assert pools == ([] if started is None else [started])


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_the_requested_files_up_to_their_total(tmp_path: Path, jobs: int) -> None:
    files: dict[str, str | bytes] = {
        f"specs/doc{index:03d}.md": EMPTY_SECTIONS for index in range(runner._PARALLEL_FROM + 5)
    }
    root = make_workspace(tmp_path, files)
    calls: list[tuple[int, int]] = []
    run(
        root,
        jobs=jobs,
        use_cache=False,
        on_progress=lambda done, total: calls.append((done, total)),
    )
    total = len(files)
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(total_seen == total for _, total_seen in calls)
    done = [count for count, _ in calls]
    assert done == sorted(done)
    if jobs == 1:
        assert done == list(range(total + 1))


def test_a_cache_rewritten_after_an_edit_still_holds_the_unchanged_files(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {"specs/a.md": EMPTY_SECTIONS, "specs/b.md": "# B\n\nok\n"})
    cold = run(root)
    assert run(root).findings == cold.findings  # served from the cache
    (root / "specs" / "b.md").write_text(EMPTY_SECTIONS, encoding="utf-8")
    edited = run(root)  # rewrites the cache, a.md from its outcome
    again = run(root)
    assert again.findings == edited.findings
    assert [f for f in again.findings if f.path.endswith("a.md")] == [
        f for f in cold.findings if f.path.endswith("a.md")
    ]
