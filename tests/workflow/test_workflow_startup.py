"""The workflow commands keep `interlock --help` fast: their modules load no core."""

from interlock.cli.options import BlankDocument, GraphFormatName
from interlock.render.blank import BlankKind
from interlock.workspace.graph_formats import GraphFormat
from support.cli_runs import modules_loaded_by

HEAVY = (
    "interlock.folders",
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
    modules = ["interlock.cli.graph", "interlock.cli.new", "interlock.cli.outcome"]
    assert modules_loaded_by(modules, HEAVY) == []


def test_the_choices_of_the_options_are_those_of_the_core() -> None:
    assert [kind.value for kind in BlankDocument] == [kind.value for kind in BlankKind]
    assert [name.value for name in GraphFormatName] == [name.value for name in GraphFormat]
