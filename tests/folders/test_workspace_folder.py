"""The workspace: found from any folder inside it, and the integrations it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.errors import UsageError
from interlock.folders.status import IntegrationStatus as Status
from interlock.folders.status import UnreadableIntegration
from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch


def test_it_is_found_from_a_folder_inside_it(workspace: WorkspaceFolder) -> None:
    inner = workspace.root / "specs" / "deep" / "er"
    inner.mkdir(parents=True)
    assert WorkspaceFolder.find(inner).root == workspace.root.resolve()


def test_outside_a_workspace_it_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not inside an Interlock workspace") as caught:
        WorkspaceFolder.find(tmp_path)
    assert "interlock init" in caught.value.hint


def test_creating_it_twice_keeps_what_is_there(tmp_path: Path) -> None:
    first = WorkspaceFolder.create(tmp_path)
    assert Path(".interlock/banks") in [path.relative_to(tmp_path) for path in first.created]
    again = WorkspaceFolder.create(tmp_path)
    assert again.created == () and set(again.kept) == set(first.created)


def test_it_lists_the_integrations_whose_interview_has_begun(
    workspace: WorkspaceFolder,
) -> None:
    assert workspace.integration_names() == [] and workspace.statuses() == []
    for name in ("payments", "billing"):
        workspace.integration(name).answer(AnswerBatch(), by="ci")
    workspace.integration("notes").write_blank(author="Dana")  # a spec, but no interview
    assert workspace.integration_names() == ["billing", "payments"]
    names = [status.sheet.name for status in workspace.statuses() if isinstance(status, Status)]
    assert names == ["billing", "payments"]


def test_one_damaged_integration_does_not_hide_the_others(workspace: WorkspaceFolder) -> None:
    for name in ("alpha", "beta", "gamma"):
        workspace.integration(name).answer(AnswerBatch(), by="ci")
    answers = workspace.root / "specs" / "beta" / "interview.yaml"
    answers.write_text("template: [unclosed\n", encoding="utf-8")
    statuses = workspace.statuses()
    assert [type(status).__name__ for status in statuses] == [
        "IntegrationStatus",
        "UnreadableIntegration",
        "IntegrationStatus",
    ]
    broken = statuses[1]
    assert isinstance(broken, UnreadableIntegration)
    assert broken.to_dict()["name"] == "beta"
    assert str(answers) in broken.to_dict()["error"]
