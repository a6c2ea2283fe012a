"""Start-up stays light: `interlock --help` must not load the core (its speed target is
measured by benchmarks/validate_corpus.py; this test guards the cause)."""

import subprocess
import sys

HEAVY = (
    "interlock.interview",
    "interlock.render",
    "interlock.validate",
    "interlock.report",
    "questionary",
    "detect_secrets",
    "pyromark",
    "jinja2",
    "pydantic",
)


def test_loading_the_command_line_imports_no_core_module() -> None:
    code = (
        "import sys, interlock.cli.app\n"
        f"print(sorted(name for name in sys.modules if name.startswith({HEAVY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
