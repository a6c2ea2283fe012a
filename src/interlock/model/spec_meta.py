"""SpeckIt front matter: the metadata block that opens an integration specification.

:class:`SpecMeta` holds the fields of the SpeckIt template in the template's order and
with its value sets, and writes them out with :func:`~interlock.safe_yaml.dump_yaml`: a
title holding a colon, a quote or a ``#`` is quoted by the YAML emitter, never pasted
into a string.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat

from interlock.safe_yaml import dump_yaml

__all__ = ["Category", "Priority", "SpecMeta", "SpecStatus", "SpecType"]


class SpecType(StrEnum):
    """What kind of specification a document is."""

    FUNCTIONAL_REQUIREMENT = "functional_requirement"
    USER_STORY = "user_story"
    DATA_MODEL = "data_model"
    SERVICE_SPEC = "service_spec"
    EPIC = "epic"
    API_SPEC = "api_spec"
    UI_SPEC = "ui_spec"


class Category(StrEnum):
    """Where a specification is filed."""

    REQUIREMENTS = "requirements"
    ARCHITECTURE = "architecture"
    BACKLOG = "backlog"
    DOCUMENTATION = "documentation"


class SpecStatus(StrEnum):
    """Where a specification stands in its review."""

    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    IMPLEMENTED = "implemented"
    DEPRECATED = "deprecated"


class Priority(StrEnum):
    """How urgent the work a specification describes is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_VERSION_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"


class SpecMeta(BaseModel):
    """The front matter of a SpeckIt specification, field for field."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str = Field(pattern=_ID_PATTERN)
    title: str = Field(min_length=1)
    type: SpecType = SpecType.SERVICE_SPEC
    category: Category = Category.ARCHITECTURE
    author: str = Field(min_length=1)
    version: str = Field(default="1.0.0", pattern=_VERSION_PATTERN)
    status: SpecStatus = SpecStatus.DRAFT
    priority: Priority = Priority.MEDIUM
    created_at: date = Field(alias="createdAt")
    updated_at: date = Field(alias="updatedAt")
    estimated_effort: NonNegativeFloat | None = Field(default=None, alias="estimatedEffort")
    """Hours; ``None`` (written ``null``) when nobody has estimated it."""
    actual_effort: NonNegativeFloat | None = Field(default=None, alias="actualEffort")
    reviewers: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    parent: str | None = None
    """The id of the spec this one belongs to; ``null`` when it stands alone."""
    dependencies: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        """Return the fields under their SpeckIt names, in the template's order."""
        data = self.model_dump(by_alias=True, mode="python")
        for name in ("estimatedEffort", "actualEffort"):
            value = data[name]
            # 16.0 hours reads better as 16, and YAML keeps it a number either way.
            if isinstance(value, float) and value.is_integer():
                data[name] = int(value)
        for name in ("type", "category", "status", "priority"):
            data[name] = str(data[name])
        for name in ("reviewers", "approvers", "tags", "dependencies", "related"):
            data[name] = list(data[name])
        return data

    def to_yaml(self) -> str:
        """Return the YAML of the fields, one per line, without the ``---`` fences."""
        return dump_yaml(self.fields(), inline_lists=True)

    def front_matter(self) -> str:
        """Return the whole front matter block, fences included, ending in a newline."""
        return f"---\n{self.to_yaml()}---\n"
