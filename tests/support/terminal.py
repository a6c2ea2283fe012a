"""The interactive interview in a real pseudo-terminal, as a person drives it.

:func:`spawn_interview` starts ``interlock interview NAME --by Dana ...`` from the
virtual environment's own entry point, in ``workspace``, with a terminal type set and
a cache folder of its own, so keys and prompts behave as in a person's terminal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

INTERLOCK = str(Path(sys.executable).with_name("interlock"))
"""The ``interlock`` command of the environment running the tests."""
DOWN, SPACE, ENTER = "\x1b[B", " ", "\r"
"""Keys as a terminal sends them."""


def spawn_interview(
    workspace: Path,
    *args: str,
    name: str = "demo",
    by: str = "Dana",
    width: int = 160,
    timeout: float = 30,
) -> pexpect.spawn:
    """Start the interview of ``name`` in ``workspace``, in a terminal ``width`` wide."""
    env = {**os.environ, "TERM": "xterm", "XDG_CACHE_HOME": str(workspace / ".cache")}
    return pexpect.spawn(
        INTERLOCK,
        ["interview", name, "--by", by, *args],
        cwd=str(workspace),
        env=env,
        encoding="utf-8",
        timeout=timeout,
        dimensions=(40, width),
    )
