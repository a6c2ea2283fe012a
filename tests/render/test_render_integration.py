"""`interlock render NAME`: answers in the workspace in, documents in specs/NAME/ out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from interlock.errors import RenderError, StoreError
from interlock.interview.answers import AnswerSheet
from interlock.interview.store import AnswerStore, interview_path
from interlock.render.documents import default_author, render_integration
from interlock.render.manifest import MANIFEST_NAME


@pytest.fixture
def workspace(tmp_path: Path, order_sheet: AnswerSheet) -> Path:
    """A workspace holding the order-service answers."""
    (tmp_path / ".interlock").mkdir()
    AnswerStore(interview_path(tmp_path, "order-service")).save(order_sheet)
    return tmp_path


def test_render_writes_the_three_documents_next_to_the_answers(
    workspace: Path, author: str
) -> None:
    result = render_integration(workspace, "order-service", author=author)
    folder = workspace / "specs" / "order-service"
    assert result.folder == folder
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [
            ".interview.yaml.lock",
            MANIFEST_NAME,
            "integration-points.md",
            "integration-spec.md",
            "interview-summary.md",
            "plan.md",
            "interview.yaml",
        ]
    )
    assert result.open_questions == 0
    spec = (folder / "integration-spec.md").read_text(encoding="utf-8")
    assert spec == result.documents["integration-spec.md"]
    assert "\nauthor: Dana Ortiz\n" in spec


def test_a_hand_edited_document_stops_the_render_until_forced(workspace: Path, author: str) -> None:
    render_integration(workspace, "order-service", author=author)
    spec = workspace / "specs" / "order-service" / "integration-spec.md"
    spec.write_text(spec.read_text(encoding="utf-8") + "\nA note by hand.\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"integration-spec\.md was edited by hand"):
        render_integration(workspace, "order-service", author=author)
    preview = render_integration(workspace, "order-service", author=author, dry_run=True)
    assert preview.written is None
    assert "-A note by hand.\n" in preview.diffs["integration-spec.md"]
    forced = render_integration(workspace, "order-service", author=author, force=True)
    assert forced.written is not None
    assert [path.name.split(".edited-")[0] for path in forced.written.kept] == [
        "integration-spec.md"
    ]
    assert "A note by hand." not in spec.read_text(encoding="utf-8")


def test_rendering_an_interview_that_does_not_exist_says_so(tmp_path: Path) -> None:
    (tmp_path / ".interlock").mkdir()
    with pytest.raises(StoreError, match="no answers file yet"):
        render_integration(tmp_path, "payments", author="Dana")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_default_author_is_git_user_name(tmp_path: Path) -> None:
    git = ["git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "config", "user.name", "Ada  Lovelace"], check=True)
    assert default_author(tmp_path) == "Ada Lovelace"


def test_without_git_the_default_author_is_the_user_logged_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("interlock.render.documents.shutil.which", lambda name: None)
    monkeypatch.setattr("interlock.render.documents.getpass.getuser", lambda: "dana")
    assert default_author(tmp_path) == "dana"
