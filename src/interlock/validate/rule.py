"""What a validator rule is: a plain module checked against a Protocol.

A rule module sets ``ID`` (``IL`` + three digits; the hundreds digit is the family),
``NAME`` (kebab-case, the public contract used in config, suppressions and output),
``ALIASES`` (old names it still answers to), ``SEVERITY`` (its default), ``OPTIONS``
(defaults; the type of each default is the option's type), ``FIX`` (a one-line fix
suggestion), ``KINDS`` (the document kinds it applies to, or ``None`` for all) and
``SCOPE``, plus a ``check`` function. Its docstring is its user documentation: a
one-line summary, a description, then ``Fails:`` and ``Passes:`` examples.

A rule may also set ``COVERS``, the names of rules whose finding on the same line of
the same document says nothing more than its own: ``required-section`` covers
``empty-section``, so an empty required section is reported once, by the rule that
makes it an error. A covered finding is dropped only when the covering one is at
least as severe and is itself reported (not off, not suppressed).

Scopes:

- ``document``: ``check(doc, options)`` yields :class:`Problem` for one parsed document;
- ``workspace``: ``check(workspace, options)`` yields :class:`WorkspaceProblem` across
  every document of the run (ids, links, cycles);
- ``file``: ``check(error, options)`` turns an unreadable file into problems.

A rule never sees its severity and never mutates anything: the runner stamps each
problem into a frozen :class:`~interlock.model.finding.Finding`.

Options are checked when the configuration is loaded, never while documents are
checked (yamllint's ``VALIDATE`` hook). The loader checks what the defaults declare:
no unknown option, each value of its default's type, and each item of a list of the
type of the default's items (strings when the default list is empty). A rule that
needs more (a regular expression that compiles, one value of a fixed set) also
defines ``check_options(options)``, which yields an :class:`OptionProblem` for each
value it cannot use; the loader turns the first into a
:class:`~interlock.errors.ConfigError` at the line of that value in the file that set
it. ``check`` may then assume its options are usable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, NamedTuple, Protocol

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


class OptionProblem(NamedTuple):
    """An option value a rule cannot use, found when the configuration is loaded."""

    option: str
    message: str
    """What is wrong, without the option's name: ``'(a' is not a regular expression``."""
    item: int | str | None = None
    """The list index or mapping key of the wrong value inside the option, if any."""
    hint: str = ""


class OptionChecker(Protocol):
    """A rule's ``check_options`` function."""

    def __call__(self, options: Mapping[str, Any]) -> Iterator[OptionProblem]: ...


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


__all__ = [
    "DocumentRule",
    "FileRule",
    "OptionChecker",
    "OptionProblem",
    "RuleInfo",
    "Scope",
    "WorkspaceRule",
]
