"""A hostile workspace template fails quickly, with an error naming its file."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interlock.cli.app import app
from interlock.errors import InputError, InterlockError, RenderError
from interlock.render.environment import (
    MAX_TEMPLATE_BYTES,
    render_template,
    template_environment,
)
from interlock.workspace.layout import init_workspace
from interlock.workspace.root import TEMPLATES_DIR
from support.hang_guard import within

NAME = "hostile.md.j2"


def _template(root: Path, text: str | bytes, name: str = NAME) -> Path:
    path = root / TEMPLATES_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _render_error(root: Path, name: str = NAME) -> InterlockError:
    with pytest.raises(InterlockError) as caught:
        within(60, lambda: render_template(name, {}, workspace_root=root))
    return caught.value


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("{{ 10 ** 10000000 }}", "numbers of more than 10,000 digits", 1),
        ("\n{{ ((10 ** 64) ** 64) ** 64 }}", "numbers of more than 10,000 digits", 2),
        ("{{ 'x'.center(2000000000) }}", "results longer than 1,000,000 characters", 1),
        ("{{ 'x'.ljust(2000000000) }}", "results longer than 1,000,000 characters", 1),
        ("{{ '%0900000000d' | format(1) }}", "results longer than 1,000,000 characters", 1),
        ("{{ '%0900000000d' % 1 }}", "results longer than 1,000,000 characters", 1),
        ("{{ '{:>2000000000}'.format(1) }}", "results longer than 1,000,000 characters", 1),
        (
            "{% set s = 'x' * 1000000 %}\n{% set s = s ~ s %}",
            "results longer than 1,000,000 characters",
            2,
        ),
        (
            "{% set l = ['x' * 1000000] * 1000 %}\n{{ l | join }}",
            "results longer than 1,000,000 characters",
            2,
        ),
        (
            "{% set l = ['x' * 1000000] * 1000 %}\n{{ l }}",
            "results longer than 1,000,000 characters",
            2,
        ),
        (
            "{{ ('x' * 100000) | replace('x', 'y' * 1000) }}",
            "results longer than 1,000,000 characters",
            1,
        ),
        ("{{ [0] * 100000000 }}", "results of more than 100,000 items", 1),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}",
            "calls nest deeper than 50",
            1,
        ),
        (
            "{% set x %}{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}{% endset %}",
            "writes more than 10,000,000 characters",
            1,
        ),
        (f"{{% include '{NAME}' %}}", "nests too deeply", 1),
        ("{{ lipsum(1000000000) }}", "'lipsum' is undefined", 1),
    ],
)
def test_a_costly_template_is_refused_quickly_naming_its_file_and_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    path = _template(tmp_path, text)
    error = _render_error(tmp_path)
    assert isinstance(error, RenderError)
    assert message in error.message
    assert error.path == path.resolve()
    assert error.line == line


def test_output_past_the_limit_stops_the_render_and_names_the_file(tmp_path: Path) -> None:
    path = _template(tmp_path, "{% for i in range(100000) %}{{ 'z' * 1000 }}{% endfor %}")
    error = _render_error(tmp_path)
    assert "writes more than 10,000,000 characters" in error.message
    assert error.path == path.resolve()


@pytest.mark.parametrize(
    "text",
    [
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "{% set r = range(100000) %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
    ],
    ids=["ranges", "one-range"],
)
def test_a_template_past_the_deadline_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = _template(tmp_path, text)
    environment = template_environment(tmp_path)
    monkeypatch.setattr(environment, "limits", replace(environment.limits, seconds=0.3))
    error = _render_error(tmp_path)
    assert "took longer than 0.3 seconds" in error.message
    assert error.path == path.resolve()


def test_a_template_that_is_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    link = tmp_path / TEMPLATES_DIR / NAME
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    error = _render_error(tmp_path)
    assert "is a symbolic link" in error.message
    assert error.path == link.parent.resolve() / NAME
    assert "password" not in str(error)


@pytest.mark.parametrize(
    "include",
    ["{% include '../config.yaml' %}", "{% extends '../../secret.md.j2' %}"],
    ids=["include", "extends"],
)
def test_a_name_that_climbs_out_of_the_folder_is_refused(tmp_path: Path, include: str) -> None:
    (tmp_path / "secret.md.j2").write_text("password", encoding="utf-8")
    _template(tmp_path, include)
    error = _render_error(tmp_path)
    assert "leads outside .interlock/templates/" in error.message
    assert error.path is not None and ".." in str(error.path)


def test_an_include_of_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.md.j2").write_text("password", encoding="utf-8")
    _template(tmp_path, "{% include 'part.md.j2' %}")
    (tmp_path / TEMPLATES_DIR / "part.md.j2").symlink_to(tmp_path / "secret.md.j2")
    error = _render_error(tmp_path)
    assert "'part.md.j2' is a symbolic link" in error.message


def test_a_templates_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / NAME).write_text("hello", encoding="utf-8")
    (tmp_path / ".interlock").mkdir()
    (tmp_path / TEMPLATES_DIR).symlink_to(elsewhere)
    error = _render_error(tmp_path)
    assert "'templates' is a symbolic link" in error.message


def test_a_template_that_is_not_utf8_names_its_file_and_line(tmp_path: Path) -> None:
    path = _template(tmp_path, b"# Title\n\nSome text \xff here\n")
    error = _render_error(tmp_path)
    assert "is not UTF-8 text" in error.message
    assert (error.path, error.line) == (path.resolve(), 3)


def test_a_template_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = _template(tmp_path, "x" * (MAX_TEMPLATE_BYTES + 1))
    error = _render_error(tmp_path)
    assert isinstance(error, InputError)
    assert "over the" in error.message and error.path == path.resolve()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_template_that_is_a_pipe_is_refused(tmp_path: Path) -> None:
    path = tmp_path / TEMPLATES_DIR / NAME
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    error = _render_error(tmp_path)
    assert "not a regular file" in error.message


def test_ordinary_loops_and_joins_render_as_before(tmp_path: Path) -> None:
    _template(
        tmp_path,
        "{% for x in items recursive %}{{ loop.index }}{{ x.n ~ '!' }}"
        "{% if x.c %}[{{ loop(x.c) }}]{% endif %}{% if not loop.last %},{% endif %}"
        "{% else %}none{% endfor %}|{{ '%05d' | format(42) }}|{{ 'ab'.center(6, '.') }}",
    )
    items = [{"n": "a", "c": [{"n": "b", "c": []}]}, {"n": "c", "c": []}]
    text = render_template(NAME, {"items": items}, workspace_root=tmp_path)
    assert text == "1a![1b!],2c!|00042|..ab.."


def test_the_render_command_reports_a_hostile_template_as_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Path(__file__).resolve().parents[2] / "examples" / "order-service" / "answers.yaml"
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    done = runner.invoke(app, ["interview", "orders", "--answers", str(answers), "--by", "t"])
    assert done.exit_code == 0, done.output
    _template(tmp_path, "{{ 'x'.center(2000000000) }}", name="integration-spec.md.j2")
    result = within(60, lambda: runner.invoke(app, ["render", "orders", "--author", "Dana"]))
    assert result.exit_code == 2, result.output
    assert "integration-spec.md.j2:1:" in result.output
    assert "results longer than 1,000,000 characters" in result.output
