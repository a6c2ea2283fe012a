"""A hint that offers ``--force`` is only shown by commands that have it."""

from __future__ import annotations

import ast
from pathlib import Path

from support.cli_runs import run_cli

SOURCE = Path(__file__).resolve().parents[2] / "src" / "interlock"

# Each module outside the command line whose messages offer --force, and the commands
# that show those messages.
OFFERED_BY = {
    "render/manifest.py": ("render", "outcome"),
    "research/notes.py": ("research",),
}


def test_every_module_offering_force_is_listed() -> None:
    offering = {
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "cli" not in path.parts and "--force" in path.read_text(encoding="utf-8")
    }
    assert offering == set(OFFERED_BY)


def test_the_commands_that_show_a_force_hint_have_the_option() -> None:
    for commands in OFFERED_BY.values():
        for command in commands:
            assert "--force" in run_cli(command, "--help").output, command


def test_the_interview_offers_no_force_it_does_not_have() -> None:
    assert "--force" not in run_cli("interview", "--help").output
    for module in ("interview/store.py", "interview/answers_file.py", "interview/batch.py"):
        hints = _hints(SOURCE / module)
        assert hints, module
        assert "force" not in hints, module


def _hints(path: Path) -> str:
    """Return the text of every ``hint=`` given in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = [
        node.value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        for keyword in call.keywords
        if keyword.arg == "hint"
        for node in ast.walk(keyword.value)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    return "\n".join(parts)
