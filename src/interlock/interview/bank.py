"""Loading a question bank by name, with errors that name the file and line.

A bank is YAML package data (``interlock/banks/<name>.yaml``) that a team may
override with a file of the same name in a folder of its own (a workspace's
``.interlock/banks/``, which the workspace's core object passes in). Loading parses it with
:func:`~interlock.safe_yaml.load_yaml`, validates it against the schema
(:mod:`interlock.interview.schema`), checks what the schema cannot
(:mod:`interlock.interview.consistency`) and compiles its expressions once
(:mod:`interlock.interview.compiled`). Anything wrong is a
:class:`~interlock.errors.BankError` carrying the file, the line and the question.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from interlock.errors import BankError, InputError, YamlError
from interlock.interview.compiled import compile_bank
from interlock.interview.consistency import Locate, check_bank
from interlock.interview.schema import (
    Bank,
    Check,
    EntityField,
    Option,
    Phase,
    Question,
    Signal,
    Topic,
    Vague,
)
from interlock.regular_file import read_regular_file
from interlock.safe_yaml import PathKey, load_yaml

MAX_BANK_BYTES = 2_000_000

_BANK_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def load_bank(name: str, folder: Path | None = None, *, within: Path | None = None) -> Bank:
    """Load bank ``name``: ``folder``'s own ``<name>.yaml`` if it has one, else the built-in one.

    Args:
        within: the resolved workspace root: a bank file that leads out of it through
            a link is refused rather than read.

    Raises:
        BankError: no such bank, or the file is malformed (with file and line), not a
            regular file, too large, or a link out of ``within``.
    """
    if not _BANK_NAME.fullmatch(name):
        raise BankError(
            f"{name!r} is not a bank name",
            hint="bank names are lower-case letters, digits, '-' and '_'",
        )
    if folder is not None:
        own = folder / f"{name}.yaml"
        # Anything of that name is the workspace's bank, a pipe or a dangling link too:
        # falling back to the built-in bank would hide that it is not used.
        if own.exists() or own.is_symlink():
            return load_bank_file(own, within=within)
    built_in = resources.files("interlock.banks").joinpath(f"{name}.yaml")
    if not built_in.is_file():
        known = ", ".join(bank_names(folder)) or "none"
        raise BankError(f"no question bank named {name!r}", hint=f"known banks: {known}")
    return parse_bank(built_in.read_text(encoding="utf-8"), path=str(built_in), name=name)


def load_bank_file(path: Path, *, within: Path | None = None) -> Bank:
    """Load the bank in file ``path``; its name is the file's stem.

    Raises:
        BankError: it cannot be read, is not a regular file, is over the size limit,
            leads out of ``within`` through a link, or is malformed.
    """
    try:
        data, _ = read_regular_file(path, max_bytes=MAX_BANK_BYTES, what="bank", within=within)
    except InputError as error:
        raise BankError(error.message, path=path, line=error.line, hint=error.hint) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BankError(
            f"the bank is not UTF-8 text ({error.reason})", path=path, line=line
        ) from None
    return parse_bank(text, path=path, name=path.stem)


def bank_names(folder: Path | None = None) -> list[str]:
    """Return the names of the built-in banks and of those in ``folder``, sorted."""
    names = {
        Path(entry.name).stem
        for entry in resources.files("interlock.banks").iterdir()
        if entry.name.endswith(".yaml")
    }
    if folder is not None and folder.is_dir():
        names.update(path.stem for path in folder.glob("*.yaml"))
    return sorted(names)


def parse_bank(text: str, *, path: Path | str | None = None, name: str | None = None) -> Bank:
    """Parse, validate and compile a bank given as YAML text.

    The same text gives the same bank, parsed and compiled once: a bank is frozen, and
    every answer a front end records loads its bank again (a tenth of a second, most of
    it compiling the expressions). The file is still read each time, so an edited bank
    is parsed afresh.

    Args:
        text: the YAML source.
        path: shown in error messages.
        name: the name the bank is loaded under; the file's ``name`` must match it.
    """
    return _parsed_bank(text, None if path is None else str(path), name)


@lru_cache(maxsize=16)
def _parsed_bank(text: str, path: str | None, name: str | None) -> Bank:
    try:
        document = load_yaml(text, path=path)
    except YamlError as error:
        raise BankError(
            error.message, path=path, line=error.line, column=error.column, hint=error.hint
        ) from None
    raw = document.value
    if not isinstance(raw, Mapping):
        raise BankError(
            "a bank is a mapping with name, title, phases and questions",
            path=path,
            line=document.first_line,
        )
    if name is not None and "name" not in raw:
        raw = {"name": name, **raw}

    def locate(where: PathKey) -> int | None:
        return document.line_of(where) if where else document.first_line

    try:
        bank = Bank.model_validate(raw)
    except ValidationError as error:
        raise _schema_error(error, raw, locate, path) from None
    if name is not None and bank.name != name:
        raise BankError(
            f"the bank calls itself {bank.name!r} but is loaded as {name!r}",
            path=path,
            line=locate(("name",)),
            hint="make the name match the file name",
        )
    check_bank(bank, locate=locate, path=path)
    bank._compiled = compile_bank(bank, locate=locate, path=path)
    bank._source = str(path) if path is not None else None
    return bank


def _schema_error(
    error: ValidationError, raw: Mapping[str, Any], locate: Locate, path: Path | str | None
) -> BankError:
    found = error.errors()
    # A list with a broken item is also reported as too short; keep the item's problem.
    locs = [tuple(problem["loc"]) for problem in found]
    problems = [
        problem
        for problem, loc in zip(found, locs, strict=True)
        if not any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
    ]
    problems.sort(key=lambda problem: locate(tuple(problem["loc"])) or 0)
    first = problems[0]
    loc = tuple(first["loc"])
    message = _describe_problem(first, loc, raw)
    more = len(problems) - 1
    hint = f"{more} more problem{'s' if more != 1 else ''} in this file" if more else ""
    return BankError(message, path=path, line=locate(loc), hint=hint)


def _describe_problem(problem: Any, loc: PathKey, raw: Mapping[str, Any]) -> str:
    where = _describe_location(loc, raw)
    kind = problem["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_keys(loc)
        suggestion = difflib.get_close_matches(key, known, n=1)
        extra = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
        return f"{where}: unknown key {key!r}{extra}"
    if kind == "missing":
        return f"{where}: missing"
    return f"{where}: {problem['msg']}"


def _describe_location(loc: PathKey, raw: Mapping[str, Any]) -> str:
    """Say where a schema problem is: ``question 'x', options[1].value``."""
    rest = loc
    prefix = ""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        items = raw.get(loc[0])
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        what = loc[0].rstrip("s")
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            prefix = f"{what} {item['id']!r}"
        else:
            prefix = f"{what} {loc[1] + 1}"
        rest = loc[2:]
    path = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in rest)
    path = path.lstrip(".")
    if prefix and path:
        return f"{prefix}, {path}"
    return prefix or path or "bank"


def _known_keys(loc: PathKey) -> list[str]:
    parents = [step for step in loc[:-1] if isinstance(step, str)]
    model: type[BaseModel] = Bank
    models: dict[str, type[BaseModel]] = {
        "phases": Phase,
        "topics": Topic,
        "questions": Question,
        "signals": Signal,
        "checks": Check,
        "vague": Vague,
        "options": Option,
        "fields": EntityField,
    }
    for step in parents:
        model = models.get(step, model)
    return list(model.model_fields)


# A bank and the models it is made of are imported from here; the models live in
# schema.py, which holds data only.
__all__ = [
    "Bank",
    "EntityField",
    "Option",
    "Phase",
    "Question",
    "Signal",
    "Topic",
    "bank_names",
    "check_bank",
    "load_bank",
    "load_bank_file",
    "parse_bank",
]
