"""What a validator rule is: a plain module checked against a Protocol.

A rule module sets ``ID`` (``IL`` + three digits; the hundreds digit is the family),
``NAME`` (kebab-case, the public contract used in config, suppressions and output),
``ALIASES`` (old names it still answers to), ``SEVERITY`` (its default), ``OPTIONS``
(defaults; the type of each default is the option's type), ``FIX`` (a one-line fix
suggestion), ``KINDS`` (the document kinds it applies to, or ``None`` for all) and
``SCOPE``, plus a ``check`` function. Its docstring is its user documentation: a
one-line summary, a description, then ``Fails:`` and ``Passes:`` examples.

Scopes:

- ``document``: ``check(doc, options)`` yields :class:`Problem` for one parsed document;
- ``workspace``: ``check(workspace, options)`` yields :class:`WorkspaceProblem` across
  every document of the run (ids, links, cycles);
- ``file``: ``check(error, options)`` turns an unreadable file into problems.

A rule never sees its severity and never mutates anything: the runner stamps each
problem into a frozen :class:`~interlock.model.finding.Finding`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, Protocol

from interlock.documents.model import Document, DocumentKind
from interlock.errors import InputError
from interlock.model.finding import Problem, Severity, WorkspaceProblem
from interlock.workspace.index import Workspace

Scope = Literal["file", "document", "workspace"]


class RuleInfo(Protocol):
    """The data every rule module declares."""

    ID: str
    NAME: str
    ALIASES: tuple[str, ...]
    SEVERITY: Severity
    OPTIONS: Mapping[str, Any]
    FIX: str
    KINDS: frozenset[DocumentKind] | None
    SCOPE: Scope
    __doc__: str | None


class DocumentRule(RuleInfo, Protocol):
    """A rule that checks one parsed document."""

    def check(self, doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]: ...


class WorkspaceRule(RuleInfo, Protocol):
    """A rule that checks the ids and links of every document in the run."""

    def check(
        self, workspace: Workspace, options: Mapping[str, Any]
    ) -> Iterator[WorkspaceProblem]: ...


class FileRule(RuleInfo, Protocol):
    """A rule that reports files that could not be read or decoded."""

    def check(self, error: InputError, options: Mapping[str, Any]) -> Iterator[Problem]: ...


__all__ = ["DocumentRule", "FileRule", "RuleInfo", "Scope", "WorkspaceRule"]
