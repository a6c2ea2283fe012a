"""The one expression language of question banks: Jinja2's sandboxed expressions.

``when`` conditions (of questions and of checks), ``for_each`` expansions and templated
prompts and messages are compiled once
per bank load in Jinja's immutable sandbox with strict undefined variables, bounded
by :class:`~interlock.interview.bounded.BoundedEnvironment`; nothing is ever passed
to ``eval``. An expression that does not compile, fails when evaluated, or asks for
more than its bounds is a :class:`~interlock.errors.BankError` naming the file, line
and question. A ``for_each`` gives at most :data:`MAX_INSTANCES` records, each once.

An expression sees:

- ``answers``: every answer that currently applies, by question id (instance ids
  included: ``answers['external.auth@stripe']``);
- each question's answer by its variable name (``scope_pattern`` for the question
  ``scope.pattern``): the value, or ``None`` (``[]`` for multi, list and entities)
  while the question is unanswered, skipped or does not apply;
- ``depth``: the interview's depth, ``quick``, ``standard`` or ``full``;
- inside a per-entity question, ``entity`` (the record) and the answers of the other
  per-entity questions about the same record, by their variable names;
- in prompts and help texts, also ``decisions``: the choices made so far.

Prompts and help texts are plain text, or use ``{field}`` placeholders of the entity
(``{name}: when it times out, …``), or are Jinja templates when they contain ``{{`` or
``{%``. Either way values are inserted once, literally: an entity named ``{{ 7*7 }}``
is shown as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, Undefined, nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import TemplateSyntaxError
from jinja2.parser import Parser

from interlock.errors import BankError
from interlock.interview.bounded import BoundedEnvironment, render_bounded
from interlock.interview.limits import Limits, limit_message, run_limits
from interlock.interview.values import MAX_ITEMS, entity_key

RESERVED = frozenset({"answers", "entity", "depth", "decisions"})
"""Names an expression may read besides the questions' variables."""
MAX_SOURCE = 2_000
"""Longest expression accepted (characters)."""

EXPRESSION_LIMITS = Limits(
    text=10_000, items=10_000, digits=100, output=1_000_000, seconds=10.0, depth=20
)
"""What one expression or text may build, and what one walk over a bank may take.

An expression decides whether a question is asked; no honest one builds a string of
more than a few lines or a number of more than a few digits. Ten seconds is some
three thousand times what a walk over the built-in bank and its answers takes (3 ms).
"""
MAX_INSTANCES = MAX_ITEMS
"""Most records one for_each may give: as many as an entities answer may hold."""

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")

ENVIRONMENT = BoundedEnvironment(
    EXPRESSION_LIMITS,
    undefined=StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True, slots=True)
class Location:
    """Where an expression is written, for error messages."""

    path: Path | str | None
    line: int | None
    what: str
    """E.g. ``question 'external.retry_attempts', when``."""

    def error(self, message: str, hint: str = "") -> BankError:
        """Return a BankError about this place."""
        return BankError(f"{self.what}: {message}", path=self.path, line=self.line, hint=hint)


@dataclass(frozen=True, slots=True)
class Expression:
    """A compiled expression and the variable names it reads."""

    source: str
    names: frozenset[str]
    location: Location
    _compiled: TemplateExpression = field(repr=False)

    def evaluate(self, variables: Mapping[str, Any]) -> Any:
        """Return the expression's value with ``variables`` (only its names are read).

        Raises:
            BankError: the expression failed (an undefined name, a type error, …).
        """
        given = {name: variables[name] for name in self.names if name in variables}
        try:
            with run_limits(ENVIRONMENT.limits):
                result = self._compiled(given)
            if isinstance(result, Undefined):
                # The sandbox answers an unsafe attribute with an undefined value.
                result._fail_with_undefined_error()
            return result
        except Exception as error:  # a bank's expression may fail in any way; report it
            raise self.location.error(
                f"{self.source!r} failed: {_reason(error)}",
                hint="guard values that may be missing, e.g. `x is not none and x > 3`",
            ) from None


@dataclass(frozen=True, slots=True)
class Expansion(Expression):
    """A ``for_each``: its records have distinct keys, and there are not too many."""

    def evaluate(self, variables: Mapping[str, Any]) -> Any:
        """Return the records, or what else the expression gave, for the caller to refuse.

        Raises:
            BankError: the expression failed, gives more than :data:`MAX_INSTANCES`
                records, or two records with one key (one instance id).
        """
        with run_limits(ENVIRONMENT.limits):
            result = Expression.evaluate(self, variables)
            if isinstance(result, Mapping | str) or not isinstance(result, Iterable):
                return result
            try:
                records = list(islice(result, MAX_INSTANCES + 1))
            except Exception as error:  # filters run lazily, as the records are read
                raise self.location.error(f"{self.source!r} failed: {_reason(error)}") from None
        if len(records) > MAX_INSTANCES:
            raise self.location.error(
                f"{self.source!r} gives more than {MAX_INSTANCES} records",
                hint="a question is asked at most that many times; filter the records",
            )
        seen: dict[str, str] = {}
        for record in records:
            name = record.get("name") if isinstance(record, Mapping) else None
            if not isinstance(name, str):
                continue
            key = entity_key(name)
            if key in seen:
                raise self.location.error(
                    f"{self.source!r} gives the record {key!r} twice "
                    f"({seen[key]!r} and {name!r}), so its instance id would repeat",
                    hint="give each record once: filter the records, never repeat them",
                )
            seen[key] = name
        return records


@dataclass(frozen=True, slots=True)
class TextTemplate:
    """A prompt or help text: static, with ``{field}`` placeholders, or a Jinja template."""

    source: str
    names: frozenset[str]
    location: Location
    placeholders: frozenset[str] = frozenset()
    _template: Template | None = field(default=None, repr=False)

    @property
    def static(self) -> bool:
        """Whether the text is the same for every entity and every answer."""
        return self._template is None and not self.placeholders

    def render(
        self,
        variables: Mapping[str, Any],
        entity: Mapping[str, Any] | None = None,
        extra: Callable[[str], Any] | None = None,
    ) -> str:
        """Return the text for ``entity`` and ``variables``.

        Args:
            variables: what a Jinja template may read.
            entity: the record whose fields fill ``{field}`` placeholders.
            extra: supplies names that are costly to compute (``decisions``), on demand.
        """
        if self._template is not None:
            given = {name: variables[name] for name in self.names if name in variables}
            if extra is not None:
                for name in self.names - given.keys():
                    given[name] = extra(name)
            try:
                return render_bounded(self._template, given)
            except Exception as error:  # a bank's template may fail in any way; report it
                raise self.location.error(f"the text failed to render: {_reason(error)}") from None
        if not self.placeholders or entity is None:
            return self.source
        return _PLACEHOLDER.sub(lambda match: _field_text(entity, match[1]), self.source)


def compile_expression(source: str, location: Location) -> Expression:
    """Compile ``source`` in the sandbox, or raise BankError at ``location``."""
    if len(source) > MAX_SOURCE:
        raise location.error(f"the expression is longer than {MAX_SOURCE} characters")
    if not source.strip():
        raise location.error("the expression is empty")
    try:
        parsed = Parser(ENVIRONMENT, source, state="variable").parse_expression()
        compiled = ENVIRONMENT.compile_expression(source, undefined_to_none=False)
    except TemplateSyntaxError as error:
        raise location.error(f"{source!r} does not compile: {error.message}") from None
    # find_all looks below a node only, so a bare name is the node itself.
    found = [parsed, *parsed.find_all(nodes.Name)]
    names = frozenset(n.name for n in found if isinstance(n, nodes.Name) and n.ctx == "load")
    return Expression(source, names, location, compiled)


def compile_expansion(source: str, location: Location) -> Expansion:
    """Compile the ``for_each`` expression ``source``, as :func:`compile_expression`."""
    compiled = compile_expression(source, location)
    return Expansion(source, compiled.names, location, compiled._compiled)


def compile_text(source: str, location: Location, *, fields: frozenset[str]) -> TextTemplate:
    """Compile a prompt or help text.

    Args:
        source: the text as written in the bank.
        location: where it is written.
        fields: the entity's field names usable as ``{field}``; empty outside for_each.
    """
    if "{{" in source or "{%" in source:
        try:
            template = ENVIRONMENT.from_string(source)
            names = _template_names(source)
        except TemplateSyntaxError as error:
            raise location.error(f"the text does not compile: {error.message}") from None
        return TextTemplate(source, names, location, _template=template)
    placeholders = frozenset(_PLACEHOLDER.findall(source))
    if not fields:
        return TextTemplate(source, frozenset(), location)
    unknown = sorted(placeholders - fields)
    if unknown:
        raise location.error(
            f"unknown placeholder {{{unknown[0]}}}",
            hint=f"the entity's fields are {', '.join(sorted(fields))}",
        )
    return TextTemplate(source, frozenset(), location, placeholders)


def _template_names(source: str) -> frozenset[str]:
    from jinja2 import meta

    return frozenset(meta.find_undeclared_variables(ENVIRONMENT.parse(source)))


def _field_text(entity: Mapping[str, Any], name: str) -> str:
    value = entity.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _reason(error: Exception) -> str:
    limited = limit_message(error)
    if limited is not None:
        return limited
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


__all__ = [
    "ENVIRONMENT",
    "EXPRESSION_LIMITS",
    "MAX_INSTANCES",
    "MAX_SOURCE",
    "RESERVED",
    "Expansion",
    "Expression",
    "Location",
    "TextTemplate",
    "compile_expansion",
    "compile_expression",
    "compile_text",
]
