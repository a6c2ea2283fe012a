"""The workflow commands keep `interlock --help` fast: their modules load no core."""

import subprocess
import sys

from interlock.cli.graph import GraphFormatName
from interlock.cli.new import BlankDocument
from interlock.render.blank import BlankKind
from interlock.workspace.graph_formats import GraphFormat

HEAVY = (
    "interlock.interview",
    "interlock.render",
    "interlock.validate",
    "interlock.documents",
    "interlock.workspace.graph_formats",
    "interlock.workspace.checklist",
    "jinja2",
    "pydantic",
    "pyromark",
    "rich",
)


def test_loading_the_command_modules_imports_no_core_module() -> None:
    code = (
        "import sys, interlock.cli.graph, interlock.cli.new, interlock.cli.outcome\n"
        f"print(sorted(name for name in sys.modules if name.startswith({HEAVY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_choices_of_the_options_are_those_of_the_core() -> None:
    assert [kind.value for kind in BlankDocument] == [kind.value for kind in BlankKind]
    assert [name.value for name in GraphFormatName] == [name.value for name in GraphFormat]
