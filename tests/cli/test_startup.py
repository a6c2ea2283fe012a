"""Start-up stays light: `interlock --help` must not load the core (its speed target is
measured by benchmarks/validate_corpus.py; this test guards the cause)."""

from support.cli_runs import modules_loaded_by

HEAVY = (
    "interlock.folders",
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
    assert modules_loaded_by(["interlock.cli.app"], HEAVY) == []
