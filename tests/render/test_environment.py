"""Templates: a team's override extends the built-in one; mistakes name the template."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.errors import RenderError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.model.integration import Integration, OpenQuestion
from interlock.render.documents import render_documents
from interlock.render.environment import render_template
from interlock.workspace.root import TEMPLATES_DIR


def _workspace_template(root: Path, name: str, text: str) -> Path:
    folder = root / TEMPLATES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_team_template_extends_the_built_in_one_and_replaces_a_block(
    tmp_path: Path, order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    _workspace_template(
        tmp_path,
        "integration-spec.md.j2",
        '{% extends "default:integration-spec.md.j2" %}\n'
        "{% block change_history %}\n\n## Change History\n\n"
        "Kept in the pull requests of {{ integration.title }}.\n{% endblock %}\n",
    )
    documents = render_documents(order_sheet, bank, author=author, workspace_root=tmp_path)
    spec = documents["integration-spec.md"]
    assert spec.endswith("## Change History\n\nKept in the pull requests of Order Service.\n")
    assert "## Overview and Context" in spec
    built_in = render_documents(order_sheet, bank, author=author)
    assert documents["integration-points.md"] == built_in["integration-points.md"]


def test_a_team_template_can_replace_a_document_entirely(
    tmp_path: Path, order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    _workspace_template(
        tmp_path, "interview-summary.md.j2", "# Summary of {{ integration.title }}\n"
    )
    documents = render_documents(order_sheet, bank, author=author, workspace_root=tmp_path)
    assert documents["interview-summary.md"] == "# Summary of Order Service\n"


def _integration(**fields: object) -> Integration:
    return Integration.model_validate({"name": "payments", "title": "Payments", **fields})


def test_printed_text_is_markdown_escaped_even_without_a_filter(tmp_path: Path) -> None:
    _workspace_template(tmp_path, "probe.md.j2", "- {{ integration.summary }}\n")
    text = render_template(
        "probe.md.j2",
        {"integration": _integration(summary="# {{ 7*7 }} | {% raw %}")},
        workspace_root=tmp_path,
    )
    assert text == "- \\# \\{\\{ 7\\*7 \\}\\} \\| \\{% raw %\\}\n"


def test_an_open_question_prints_as_a_link_to_the_open_questions(tmp_path: Path) -> None:
    _workspace_template(tmp_path, "probe.md.j2", "Auth: {{ integration.summary }}\n")
    integration = _integration(
        summary=OpenQuestion(id="summary", question="How do we authenticate?")
    )
    text = render_template(
        "probe.md.j2",
        {"integration": integration, "open_title": "Open Questions"},
        workspace_root=tmp_path,
    )
    assert text == "Auth: open question, see [Open Questions](#open-questions)\n"


def test_an_undefined_name_is_a_render_error_naming_the_template_and_line(
    tmp_path: Path,
) -> None:
    path = _workspace_template(tmp_path, "probe.md.j2", "line one\n{{ integration.nope }}\n")
    with pytest.raises(RenderError) as caught:
        render_template("probe.md.j2", {"integration": _integration()}, workspace_root=tmp_path)
    assert caught.value.path == path
    assert caught.value.line == 2
    assert "probe.md.j2" in caught.value.message


def test_a_template_that_does_not_compile_names_its_line(tmp_path: Path) -> None:
    path = _workspace_template(tmp_path, "probe.md.j2", "ok\n\n{% if %}\n")
    with pytest.raises(RenderError) as caught:
        render_template("probe.md.j2", {}, workspace_root=tmp_path)
    assert (caught.value.path, caught.value.line) == (path, 3)


def test_printing_a_missing_value_is_an_error_not_the_word_none(tmp_path: Path) -> None:
    _workspace_template(tmp_path, "probe.md.j2", "Owner: {{ integration.agreements }}\n")
    with pytest.raises(RenderError, match="missing value"):
        render_template("probe.md.j2", {"integration": _integration()}, workspace_root=tmp_path)


def test_templates_run_in_a_sandbox(tmp_path: Path) -> None:
    _workspace_template(
        tmp_path, "probe.md.j2", "{{ integration.__class__.__mro__[1].__subclasses__() }}\n"
    )
    with pytest.raises(RenderError, match="unsafe"):
        render_template("probe.md.j2", {"integration": _integration()}, workspace_root=tmp_path)


def test_an_unknown_template_is_a_render_error() -> None:
    with pytest.raises(RenderError, match=r"no template named 'nothing\.md\.j2'"):
        render_template("nothing.md.j2", {})
