"""Discover the rule modules in :mod:`interlock.validate.rules` and check their shape.

Adding a rule is adding one module ``rules/ilNNN_<name>.py`` (and its test): the
registry imports every module of the package, checks the declared attributes, and
sorts rules by code. A malformed rule module is a programming error and fails loudly.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, cast

from interlock.model.finding import Family, Severity
from interlock.validate import rules as rules_package
from interlock.validate.rule import OptionChecker, OptionProblem, RuleInfo, Scope

_CODE = re.compile(r"^IL\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SCOPES = ("file", "document", "workspace")


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its declared data and the module that checks."""

    code: str
    name: str
    aliases: tuple[str, ...]
    severity: Severity
    options: Mapping[str, Any]
    fix: str
    scope: Scope
    module: ModuleType
    option_checker: OptionChecker | None = None
    """The module's ``check_options``, when it checks more than the option types."""
    covers: tuple[str, ...] = ()
    """Names of the rules whose finding on the same line this rule's finding makes moot."""

    @property
    def family(self) -> Family:
        """The score category, from the hundreds digit of the code."""
        return Family.of_code(self.code)

    @property
    def summary(self) -> str:
        """The first line of the rule's docstring."""
        return (self.module.__doc__ or "").strip().splitlines()[0]

    @property
    def documentation(self) -> str:
        """The rule's whole docstring, dedented."""
        import inspect

        return inspect.cleandoc(self.module.__doc__ or "")

    def option_problems(self, options: Mapping[str, Any]) -> Iterator[OptionProblem]:
        """Yield what is wrong with ``options`` beyond their types (nothing by default)."""
        if self.option_checker is not None:
            yield from self.option_checker(options)

    def applies_to(self, kind: str) -> bool:
        """Return whether the rule checks documents of ``kind``."""
        kinds = cast(RuleInfo, self.module).KINDS
        return kinds is None or kind in kinds


@cache
def all_rules() -> tuple[Rule, ...]:
    """Return every built-in rule, sorted by code."""
    found = [
        _register(importlib.import_module(f"{rules_package.__name__}.{info.name}"))
        for info in pkgutil.iter_modules(rules_package.__path__)
        if not info.name.startswith("_")
    ]
    found.sort(key=lambda rule: rule.code)
    _check_unique(found)
    return tuple(found)


@cache
def rules_by_key() -> dict[str, Rule]:
    """Map every code, name and alias to its rule."""
    table: dict[str, Rule] = {}
    for rule in all_rules():
        for key in (rule.code, rule.name, *rule.aliases):
            table[key] = rule
    return table


def find_rule(key: str) -> Rule | None:
    """Return the rule named ``key`` (code, name or alias, any case), or ``None``."""
    table = rules_by_key()
    return table.get(key) or table.get(key.upper()) or table.get(key.lower())


def _register(module: ModuleType) -> Rule:
    info = cast(RuleInfo, module)
    where = module.__name__
    for attribute in ("ID", "NAME", "SEVERITY", "OPTIONS", "FIX", "SCOPE", "KINDS", "check"):
        if not hasattr(module, attribute):
            raise TypeError(f"rule module {where} does not define {attribute}")
    if not _CODE.match(info.ID):
        raise TypeError(f"rule module {where}: ID {info.ID!r} is not IL followed by 3 digits")
    if not _NAME.match(info.NAME):
        raise TypeError(f"rule module {where}: NAME {info.NAME!r} is not kebab-case")
    if info.SCOPE not in _SCOPES:
        raise TypeError(f"rule module {where}: SCOPE {info.SCOPE!r} is not one of {_SCOPES}")
    if not (module.__doc__ or "").strip():
        raise TypeError(f"rule module {where} has no docstring")
    checker = getattr(module, "check_options", None)
    if checker is not None and not callable(checker):
        raise TypeError(f"rule module {where}: check_options is not a function")
    return Rule(
        code=info.ID,
        name=info.NAME,
        aliases=tuple(getattr(module, "ALIASES", ())),
        severity=Severity(info.SEVERITY),
        options=dict(info.OPTIONS),
        fix=info.FIX,
        scope=info.SCOPE,
        module=module,
        option_checker=cast("OptionChecker | None", checker),
        covers=tuple(getattr(module, "COVERS", ())),
    )


def _check_unique(found: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in found:
        for key in (rule.code, rule.name, *rule.aliases):
            if key in seen:
                raise TypeError(f"rule key {key!r} used by both {seen[key]} and {rule.code}")
            seen[key] = rule.code
    names = {rule.name for rule in found}
    for rule in found:
        unknown = [name for name in rule.covers if name not in names or name == rule.name]
        if unknown:
            raise TypeError(f"rule {rule.name} covers {unknown}, which are not other rules' names")


__all__ = ["Rule", "all_rules", "find_rule", "rules_by_key"]
