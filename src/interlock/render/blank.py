"""Write a blank spec for a team that fills it by hand: ``interlock new NAME --blank``.

Two kinds of document can start blank, each from its template:

======================  ================================  ==========================
kind                    file written in ``specs/NAME/``   template
======================  ================================  ==========================
``integration-spec``    ``integration-spec.md``           ``blank-integration-spec.md.j2``
``integration-points``  ``integration-points.md``         ``blank-integration-points.md.j2``
======================  ================================  ==========================

What is known when the file is created is filled in: the spec id
(``spec-integration-NAME-001``), its title, the author, today's date, version
``1.0.0`` and status ``draft``. Everything else is a template placeholder, so
``interlock validate`` lists exactly what is left to write. The front matter is
written by :func:`~interlock.safe_yaml.dump_yaml`, so it is valid YAML whatever the
author's name holds. An existing
file is never replaced: the file is created next to its final name and linked into
place only if that name is free.
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from interlock.errors import RenderError, UsageError
from interlock.interview.store import check_integration_name
from interlock.model.integration import integration_title
from interlock.render.environment import render_template
from interlock.render.markdown_escape import Markdown
from interlock.safe_yaml import dump_yaml
from interlock.workspace.author import UNKNOWN_AUTHOR, default_author
from interlock.workspace.root import integration_dir

__all__ = ["BlankKind", "blank_front_matter", "render_blank", "write_blank"]


class BlankKind(StrEnum):
    """The documents a team can start from a blank template."""

    INTEGRATION_SPEC = "integration-spec"
    INTEGRATION_POINTS = "integration-points"

    @property
    def file(self) -> str:
        """The file name written into the integration's folder."""
        return f"{self.value}.md"

    @property
    def template(self) -> str:
        """The template the blank document is rendered from."""
        return f"blank-{self.value}.md.j2"


def blank_front_matter(name: str, *, author: str, today: date) -> str:
    """Return the front matter of a blank spec, fences included, ending in a newline."""
    fields: dict[str, Any] = {
        "id": f"spec-integration-{name}-001",
        "title": f"{integration_title(name)} Integration Specification",
        "type": "service_spec",
        "category": "architecture",
        "author": author,
        "version": "1.0.0",
        "status": "draft",
        "priority": "{{low, medium, high or critical}}",
        "createdAt": today,
        "updatedAt": today,
        "estimatedEffort": "{{hours}}",
        "actualEffort": "{{hours}}",
        "reviewers": [],
        "approvers": [],
        "tags": ["integration", "{{integration-type}}", "{{third-party}}"],
        "parent": "{{parent-spec-id}}",
        "dependencies": ["{{dependency-spec-id}}"],
        "related": ["{{related-spec-id}}"],
    }
    return f"---\n{dump_yaml(fields, inline_lists=True)}---\n"


def render_blank(
    name: str,
    kind: BlankKind,
    *,
    author: str,
    today: date,
    workspace_root: Path | None = None,
) -> str:
    """Return the blank document of ``kind`` for integration ``name``.

    Raises:
        StoreError: ``name`` is not a slug.
        RenderError: the template failed.
    """
    check_integration_name(name)
    author = " ".join(author.split()) or UNKNOWN_AUTHOR
    context = {
        "title": integration_title(name),
        "author": author,
        "today": today,
        "front_matter": Markdown(blank_front_matter(name, author=author, today=today).rstrip()),
    }
    return render_template(kind.template, context, workspace_root=workspace_root)


def write_blank(
    workspace_root: Path,
    name: str,
    kind: BlankKind = BlankKind.INTEGRATION_SPEC,
    *,
    author: str | None = None,
    today: date | None = None,
) -> Path:
    """Write the blank document of ``kind`` into ``specs/<name>/``; return its path.

    Raises:
        StoreError: ``name`` is not a slug.
        UsageError: the file already exists.
        RenderError: the template failed, or the file cannot be written.
    """
    text = render_blank(
        name,
        kind,
        author=author or default_author(workspace_root),
        today=today or date.today(),
        workspace_root=workspace_root,
    )
    path = integration_dir(workspace_root, name) / kind.file
    if path.exists():
        raise _exists(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RenderError(f"cannot create the folder: {error.strerror}", path=path.parent) from None
    _create(path, text.encode("utf-8"))
    return path


def _exists(path: Path) -> UsageError:
    return UsageError(
        f"{path.name} already exists",
        path=path,
        hint="edit it, or delete it first to start again from the blank template",
    )


def _create(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, whole or not at all, and never over a file.

    The data is written and synced to a temporary file first; a hard link then gives
    it its name, which fails if the name was taken in the meantime.
    """
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    try:
        with temp.open("xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError:
            # Some file systems have no hard links; creating the name exclusively
            # still never replaces a file.
            with path.open("xb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
    except FileExistsError:
        raise _exists(path) from None
    except OSError as error:
        raise RenderError(f"cannot write the file: {error.strerror}", path=path) from None
    finally:
        with suppress(OSError):
            temp.unlink()
