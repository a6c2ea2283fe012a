from pathlib import Path

from interlock.validate.config import load_config
from interlock.workspace.layout import init_workspace
from interlock.workspace.root import find_root


def test_init_creates_the_layout_and_a_loadable_config(tmp_path: Path) -> None:
    result = init_workspace(tmp_path)
    assert (tmp_path / ".interlock" / "config.yaml").is_file()
    assert (tmp_path / "specs").is_dir()
    assert (tmp_path / ".interlock" / "templates" / "README.md").is_file()
    ignored = (tmp_path / ".interlock" / ".gitignore").read_text(encoding="utf-8")
    assert "server.sqlite*" in ignored.splitlines(), "the team server's database stays out"
    assert tmp_path / "specs" in result.created
    assert find_root(tmp_path / "specs") == tmp_path.resolve()
    assert load_config(tmp_path / "specs").source == tmp_path / ".interlock" / "config.yaml"


def test_init_twice_keeps_what_the_team_wrote(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    config = tmp_path / ".interlock" / "config.yaml"
    config.write_text("preset: production\n", encoding="utf-8")
    again = init_workspace(tmp_path)
    assert config.read_text() == "preset: production\n"
    assert config in again.kept
    assert again.created == ()
