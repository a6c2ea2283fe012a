"""Rendered documents are written whole, and a hand edit is never silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interlock.errors import RenderError
from interlock.render.manifest import (
    MANIFEST_NAME,
    document_diffs,
    edited_documents,
    write_documents,
)

FIRST = {"integration-spec.md": "# Spec\n\nfirst\n", "integration-points.md": "# Points\n"}
SECOND = {"integration-spec.md": "# Spec\n\nsecond\n", "integration-points.md": "# Points\n"}


def test_first_render_writes_every_document_and_the_manifest(tmp_path: Path) -> None:
    result = write_documents(tmp_path, FIRST)
    assert sorted(path.name for path in result.written) == sorted(FIRST)
    assert (tmp_path / "integration-spec.md").read_text(encoding="utf-8") == FIRST[
        "integration-spec.md"
    ]
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(FIRST)


def test_rendering_again_replaces_what_was_rendered(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    result = write_documents(tmp_path, SECOND)
    assert [path.name for path in result.written] == ["integration-spec.md"]
    assert [path.name for path in result.unchanged] == ["integration-points.md"]
    assert "second" in (tmp_path / "integration-spec.md").read_text(encoding="utf-8")


def test_a_hand_edit_stops_the_render_and_names_the_file(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    spec = tmp_path / "integration-spec.md"
    spec.write_text("# Spec\n\nmy careful edit\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        write_documents(tmp_path, SECOND)
    assert caught.value.path == spec
    assert "edited by hand" in caught.value.message
    assert "--diff" in caught.value.hint and "--force" in caught.value.hint
    assert spec.read_text(encoding="utf-8") == "# Spec\n\nmy careful edit\n"


def test_nothing_is_written_when_any_document_was_edited(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    (tmp_path / "integration-points.md").write_text("# Points, edited\n", encoding="utf-8")
    with pytest.raises(RenderError):
        write_documents(tmp_path, SECOND)
    assert "first" in (tmp_path / "integration-spec.md").read_text(encoding="utf-8")


def test_force_replaces_an_edit_but_keeps_a_copy(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    spec = tmp_path / "integration-spec.md"
    spec.write_text("my careful edit\n", encoding="utf-8")
    result = write_documents(tmp_path, SECOND, force=True)
    assert spec.read_text(encoding="utf-8") == SECOND["integration-spec.md"]
    (kept,) = result.kept
    assert kept.name.startswith("integration-spec.md.edited-")
    assert kept.read_text(encoding="utf-8") == "my careful edit\n"
    # The replacement is now what was rendered, so the next render goes through.
    write_documents(tmp_path, FIRST)


def test_a_document_that_was_never_rendered_counts_as_hand_written(tmp_path: Path) -> None:
    (tmp_path / "integration-spec.md").write_text("written by a person\n", encoding="utf-8")
    assert edited_documents(tmp_path, FIRST) == [tmp_path / "integration-spec.md"]
    with pytest.raises(RenderError):
        write_documents(tmp_path, FIRST)


def test_an_edit_that_matches_the_new_rendering_is_no_conflict(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    (tmp_path / "integration-spec.md").write_text(SECOND["integration-spec.md"], encoding="utf-8")
    result = write_documents(tmp_path, SECOND)
    assert [path.name for path in result.unchanged] == sorted(SECOND, reverse=True)


def test_a_damaged_manifest_errs_on_the_safe_side(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    (tmp_path / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(RenderError):
        write_documents(tmp_path, SECOND)


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    write_documents(tmp_path, SECOND)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*FIRST, MANIFEST_NAME])


def test_diffs_show_what_rendering_would_change(tmp_path: Path) -> None:
    write_documents(tmp_path, FIRST)
    diffs = document_diffs(tmp_path, SECOND)
    assert list(diffs) == ["integration-spec.md"]
    assert "-first\n" in diffs["integration-spec.md"]
    assert "+second\n" in diffs["integration-spec.md"]


@pytest.mark.parametrize("name", ["../escape.md", "sub/file.md", ".hidden.md"], ids=str)
def test_document_names_are_plain_file_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(RenderError):
        write_documents(tmp_path, {name: "text\n"})
