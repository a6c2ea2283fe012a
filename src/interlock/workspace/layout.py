"""Create a workspace: ``.interlock/`` (config, banks, templates) and ``specs/``.

``init`` never overwrites: files that exist are left as they are and reported, so
running it twice, or in a workspace a team has already configured, is safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interlock.interview.files import INTERVIEW_FILE
from interlock.workspace.root import BANKS_DIR, CONFIG_NAME, SPECS_DIR, TEMPLATES_DIR, WORKSPACE_DIR

STARTER_CONFIG = """\
# Interlock configuration: see docs/configuration.md for every setting.
preset: review          # draft | review | production
# fail_on: error        # the lowest severity that fails `interlock validate`
# min_score: 80
# rules:
#   empty-section: warning
#   content-length: {severity: info, options: {min_words: 100}}
# types:
#   "docs/**": markdown
"""

_SPECS_GITIGNORE = (
    "# The interview lock and its holder's note; backups of replaced answer files.\n"
    f"*/.{INTERVIEW_FILE}.*\n"
)
_STATE_GITIGNORE = (
    "# The team server's own database (interlock serve): people, token digests,\n"
    "# sessions, comments and the audit log. It is not part of the plan.\n"
    "server.sqlite*\n"
)
_README = {
    BANKS_DIR: "Question banks here override the built-in bank of the same name (NAME.yaml).\n",
    TEMPLATES_DIR: (
        "Templates here override the built-in ones of the same name; start one with\n"
        '{% extends "default:integration-spec.md.j2" %} to change only some blocks.\n'
    ),
}


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``init`` created and what it found already there."""

    root: Path
    created: tuple[Path, ...]
    kept: tuple[Path, ...]


def init_workspace(root: Path) -> InitResult:
    """Create the workspace layout under ``root``, keeping anything that exists."""
    created: list[Path] = []
    kept: list[Path] = []
    folder = root / WORKSPACE_DIR
    for directory in (folder, root / BANKS_DIR, root / TEMPLATES_DIR, root / SPECS_DIR):
        (kept if directory.is_dir() else created).append(directory)
        directory.mkdir(parents=True, exist_ok=True)
    files = {
        folder / CONFIG_NAME: STARTER_CONFIG,
        root / SPECS_DIR / ".gitignore": _SPECS_GITIGNORE,
        folder / ".gitignore": _STATE_GITIGNORE,
        **{root / name / "README.md": text for name, text in _README.items()},
    }
    for path, text in files.items():
        if path.exists():
            kept.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return InitResult(root, tuple(created), tuple(kept))


__all__ = ["STARTER_CONFIG", "InitResult", "init_workspace"]
