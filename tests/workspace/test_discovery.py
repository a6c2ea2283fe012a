from pathlib import Path

import pytest

from interlock.errors import UsageError
from interlock.workspace.discovery import display_path, find_specs, matches_any


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("**/*.md", "a.md", True),
        ("**/*.md", "specs/deep/a.md", True),
        ("specs/*.md", "specs/deep/a.md", False),
        ("specs/*.md", "specs/a.md", True),
        ("**/drafts/**", "specs/drafts/x/a.md", True),
        ("**/drafts/**", "specs/drafted/a.md", False),
        ("spec?.md", "specs.md", True),
        ("docs/**", "docs/a/b/c.md", True),
    ],
)
def test_glob_semantics(glob: str, path: str, expected: bool) -> None:
    assert matches_any(path, [glob]) is expected


def test_finds_markdown_recursively_skipping_hidden_and_excluded(tmp_path: Path) -> None:
    for name in ("specs/a.md", "specs/b/c.MD", "specs/.hidden/d.md", "specs/e.txt", "specs/x/y.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# t\n")
    found = find_specs(
        [tmp_path / "specs"], root=tmp_path, include=["**/*.md", "**/*.MD"], exclude=["**/x/**"]
    )
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "specs/a.md",
        "specs/b/c.MD",
    ]


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# t\n")
    found = find_specs(
        [tmp_path / "a.md", tmp_path], root=tmp_path, include=["**/*.md"], exclude=[]
    )
    assert found == [tmp_path / "a.md"]


def test_missing_path_names_itself(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nope\.md: no such file"):
        find_specs([tmp_path / "nope.md"], root=tmp_path, include=["**/*.md"], exclude=[])


def test_display_path_is_relative_inside_cwd(tmp_path: Path) -> None:
    inside = tmp_path / "specs" / "a.md"
    assert display_path(inside, tmp_path.resolve()) == "specs/a.md"
    assert display_path(Path("/elsewhere/a.md"), tmp_path.resolve()) == "/elsewhere/a.md"
