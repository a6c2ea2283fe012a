"""Who answers and who authors, when nobody says: git's user.name, else the login."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from interlock.workspace.author import default_author


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_default_author_is_git_user_name(tmp_path: Path) -> None:
    git = ["git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "config", "user.name", "Ada  Lovelace"], check=True)
    assert default_author(tmp_path) == "Ada Lovelace"


def test_without_git_the_default_author_is_the_user_logged_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("interlock.workspace.author.shutil.which", lambda name: None)
    monkeypatch.setattr("interlock.workspace.author.getpass.getuser", lambda: "dana")
    assert default_author(tmp_path) == "dana"
