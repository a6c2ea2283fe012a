"""How an API is versioned, as far as its OpenAPI description says.

Three signals are read: the document's own ``info.version``; the parameters by which
a request chooses a version, such as Stripe's ``Stripe-Version`` and GitHub's
``X-GitHub-Api-Version`` headers (any header named ``…-Version``, ``…-Api-Version`` or
``Api-Version``) or Azure's ``api-version`` query parameter, with their default and
allowed values; and a version at the start of every path (``/v1/…``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from interlock.research.facts import Constraint, Detail
from interlock.research.operations import RawOperation, one_line, text_of
from interlock.research.references import Resolver
from interlock.research.size_limits import parameter_schema

__all__ = ["versioning_constraint"]

_HEADER = re.compile(r"(^|[-_])(api[-_]?)?version$", re.IGNORECASE)
_QUERY = re.compile(r"^api[-_.]?version$", re.IGNORECASE)
_PATH_VERSION = re.compile(r"^/(v\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2})(?=/|$)", re.IGNORECASE)
_VALUES = 5


def versioning_constraint(
    resolver: Resolver, data: Mapping[str, Any], raw: Sequence[RawOperation]
) -> Constraint | None:
    """Return what the document says of versions, or ``None`` when it says nothing."""
    details = []
    info = data.get("info")
    version = one_line(text_of(info.get("version")), 80) if isinstance(info, dict) else ""
    if version:
        details.append(Detail(f"The document describes version {version}.", ("#/info/version",)))
    choosers = _choosers(resolver, raw)
    details.extend(detail for _, detail in choosers)
    prefix = _path_prefix(raw)
    if prefix:
        details.append(Detail(f"Every path starts with the version /{prefix}/.", ("#/paths",)))
    if not details:
        return None
    if choosers:
        names = ", ".join(name for name, _ in choosers)
        summary = f"{version or 'version not stated'}; a request chooses its version with {names}"
    else:
        summary = version
    return Constraint("versioning", "Versioning", tuple(details), summary)


def _choosers(resolver: Resolver, raw: Sequence[RawOperation]) -> list[tuple[str, Detail]]:
    """Return each version header or query parameter, named, with where it is used."""
    found: dict[tuple[str, str], list[tuple[Mapping[str, Any], str]]] = {}
    for op in raw:
        for parameter, source in zip(op.parameters, op.parameter_sources, strict=True):
            place, name = text_of(parameter.get("in")), text_of(parameter.get("name"))
            pattern = _HEADER if place == "header" else _QUERY if place == "query" else None
            if pattern is not None and pattern.search(name):
                found.setdefault((name, place), []).append((parameter, source))
    details = []
    for (name, place), uses in found.items():
        parameter, source = uses[0]
        schema = parameter_schema(resolver, parameter)
        schema = schema if isinstance(schema, dict) else {}
        facts = ["required" if parameter.get("required") is True else "optional"]
        default = schema.get("default")
        if default is not None:
            facts.append(f"default {one_line(text_of(default), 60)}")
        values = schema.get("enum")
        if isinstance(values, list) and values:
            shown = ", ".join(one_line(text_of(value), 40) for value in values[:_VALUES])
            more = f" and {len(values) - _VALUES} more" if len(values) > _VALUES else ""
            facts.append(f"one of {shown}{more}")
        where = "header" if place == "header" else "query parameter"
        operations = f"{len(uses)} of {len(raw)} operations"
        text = f"{name} {where} ({'; '.join(facts)}) on {operations}."
        details.append((f"the {name} {where}", Detail(text, (source,))))
    return details


def _path_prefix(raw: Sequence[RawOperation]) -> str:
    """Return the version every path starts with (``v1``), if they share one."""
    prefixes = {match.group(1) if (match := _PATH_VERSION.match(op.path)) else "" for op in raw}
    if len(prefixes) != 1:
        return ""
    return prefixes.pop()
