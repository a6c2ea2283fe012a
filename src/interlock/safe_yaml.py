"""YAML loading that a hostile file cannot blow up, and YAML writing a person can diff.

Every YAML file Interlock reads (front matter, config, presets, question banks,
answers) goes through :func:`load_yaml`. It parses with PyYAML's safe loader (the C
one when present), then walks the composed node tree once, checking each node before
its value is built:

- aliases are refused, so a "billion laughs" document costs nothing;
- nesting deeper than ``max_depth`` is refused;
- a key that appears twice in one mapping is refused with both lines;
- the line of every mapping key and sequence item is recorded, so that a schema
  error found later (by pydantic, say) can still name its line.

Every YAML text Interlock writes (answers files, front matter) comes from
:func:`dump_yaml`, so all of it is written the same way: keys in the order given,
no anchors or aliases, no line wrapping, timestamps in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from interlock.errors import YamlError

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
_LONGEST_INTEGER = 18  # digits: every such integer fits in 64 bits
_NUMBER_START = frozenset("+-._0123456789")
# What a lenient reader might take for a number: digits with signs, points, exponents,
# underscores and the letters of bases and hexadecimal digits; "1.0.2" and "2024-06-01"
# are among them, but only those with the marks below are contested.
_NUMBER_LIKE = re.compile(r"[-+._0-9]*[0-9][-+._0-9a-fA-FxXoO]*")
# A binary number, a sign before a hexadecimal or octal one, or two signs.
_CONTESTED_NUMBER = re.compile(
    r"[-+]?0[bB][01_]+|[-+]0[xX][0-9a-fA-F_]+|[-+]0[oO][0-7_]+|[-+][-+][-+.0-9eE_]+"
)
_INDICATOR = re.compile(r"[-?:](?=\s)|[\[{]|[-?:]\Z")

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A loaded YAML value with the 1-based line of each key and item."""

    value: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, path: PathKey) -> int:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return self.first_line


def load_yaml(
    text: str,
    *,
    path: Path | str | None = None,
    line_offset: int = 0,
    max_depth: int = MAX_DEPTH,
) -> YamlDocument:
    """Parse one YAML document safely.

    Args:
        text: the YAML source.
        path: shown in error messages.
        line_offset: added to every line, for YAML embedded in a larger file.
        max_depth: deepest nesting of mappings and sequences accepted.

    Raises:
        YamlError: syntax errors, duplicate keys, aliases, nesting too deep, or
            several documents in one stream; the error carries path and line.
    """
    if _may_be_hostile(text, max_depth):
        _check_events(text, path=path, line_offset=line_offset, max_depth=max_depth)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            if error.context_mark is not None and "quoted scalar" in (error.context or ""):
                mark = error.context_mark  # where the quote opens, not where the file ends
            line = mark.line + 1 + line_offset if mark is not None else None
            column = mark.column + 1 if mark is not None else None
            problem = "; ".join(part for part in (error.context, error.problem) if part)
            raise YamlError(
                f"invalid YAML: {problem}", path=path, line=line, column=column
            ) from None
        except yaml.YAMLError as error:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise YamlError(f"invalid YAML: {first}", path=path, line=line_offset + 1) from None
        if node is None:
            return YamlDocument(None, {}, line_offset + 1)
        lines: dict[PathKey, int] = {}
        try:
            value = _Walk(loader, lines, max_depth, path, line_offset).value(node, (), 0)
        except (yaml.MarkedYAMLError, TypeError, ValueError, RecursionError):
            # A value did not build. Check every node first and let PyYAML build the
            # whole document, as a load in two passes does: the error reported is
            # then the one a reader expects (a duplicate key further down comes first),
            # and anything PyYAML builds after all is built.
            lines = {}
            value = _checked_then_built(node, lines, max_depth, path, line_offset)
        return YamlDocument(value, lines, node.start_mark.line + 1 + line_offset)
    finally:
        loader.dispose()


def _checked_then_built(
    node: yaml.Node,
    lines: dict[PathKey, int],
    max_depth: int,
    path: Path | str | None,
    offset: int,
) -> Any:
    """Check every node of ``node``, then build it with a fresh PyYAML constructor."""
    constructor = yaml.constructor.SafeConstructor()
    _Walk(constructor, lines, max_depth, path, offset).value(node, (), 0, build=False)
    try:
        return constructor.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + offset if mark is not None else None
        raise YamlError(
            f"invalid YAML: {error.problem or error.context}", path=path, line=line
        ) from None
    except (TypeError, ValueError, RecursionError) as error:
        culprit = _failing_scalar(node) or node
        raise YamlError(
            f"invalid YAML value {culprit.value!r}: {error}"
            if isinstance(culprit, yaml.ScalarNode)
            else f"invalid YAML value: {error}",
            path=path,
            line=culprit.start_mark.line + 1 + offset,
            column=culprit.start_mark.column + 1,
        ) from None


def _may_be_hostile(text: str, max_depth: int) -> bool:
    """Return whether ``text`` could hold an alias or nest deeper than ``max_depth``.

    Every nesting level opens with an indicator (``- ``, ``? ``, ``: ``, ``[`` or ``{``),
    so fewer indicators than ``max_depth`` cannot nest too deep, and an alias needs a
    ``*``: a typical front matter has neither, and skips the event pass.
    """
    if "*" in text or "&" in text:
        return True
    return len(_INDICATOR.findall(text)) >= max_depth


def _check_events(
    text: str,
    *,
    path: Path | str | None,
    line_offset: int,
    max_depth: int,
    loader_class: type[yaml.SafeLoader] | None = None,
) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything recurses.

    The composer (C or Python) recurses once per nesting level, so a few thousand
    ``[`` would exhaust the stack; the event parser does not recurse.
    """
    loader = (loader_class or _Loader)(text)
    depth = 0
    try:
        while True:
            try:
                event = loader.get_event()  # type: ignore[no-untyped-call]
            except yaml.YAMLError as error:
                if _is_nesting_limit(error) and loader_class is not yaml.SafeLoader:
                    # libyaml (PyYAML 6.0.4 on) stops at its own depth while scanning
                    # ahead, past our limit; the pure-Python scanner has no such limit
                    # and finds the bracket that goes one level too deep.
                    _check_events(
                        text,
                        path=path,
                        line_offset=line_offset,
                        max_depth=max_depth,
                        loader_class=yaml.SafeLoader,
                    )
                return  # reported with its line by the composing pass
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            line = event.start_mark.line + 1 + line_offset if event.start_mark else None
            column = event.start_mark.column + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(
                    "YAML aliases (*name) are not accepted here; write the value out",
                    path=path,
                    line=line,
                    column=column,
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise YamlError(
                        f"YAML nested deeper than {max_depth} levels",
                        path=path,
                        line=line,
                        column=column,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def reads_plainly(text: str, *, max_depth: int = MAX_DEPTH) -> bool:
    """Tell whether ``text`` is plain YAML that a faster reader may build instead.

    Plain means one document with no alias, no explicit tag, no key that is not a
    scalar, no key twice in one mapping, no nesting deeper than ``max_depth``, and no
    plain scalar that readers are known to resolve differently (an integer too large
    for 64 bits; ``1_000``, ``_1``, ``0b101``, ``-0x1F``, which YAML 1.2's core schema
    reads as text and some readers as numbers): what every YAML reader builds alike
    and none can be abused by. One pass over libyaml's
    events, nothing built. Anything else, a syntax error included, answers ``False``,
    and :func:`load_yaml` then reads the text and names the line of any fault.
    """
    # Per open collection: the keys seen (None for a sequence), and whether a key is next.
    open_: list[tuple[set[str] | None, list[bool]]] = []
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent):
                if event.tag is not None and event.implicit == (False, False):
                    return False
                if event.implicit[0] and _is_contested(event.value):
                    return False
                if open_:
                    keys, key_next = open_[-1]
                    if keys is not None:
                        if key_next[0]:
                            if event.value in keys:
                                return False
                            keys.add(event.value)
                        key_next[0] = not key_next[0]
            elif isinstance(event, yaml.CollectionStartEvent):
                if event.tag is not None and not event.implicit:
                    return False
                if open_:
                    keys, key_next = open_[-1]
                    if keys is not None:
                        if key_next[0]:
                            return False  # a mapping or a sequence as a key
                        key_next[0] = True
                if len(open_) >= max_depth:
                    return False
                mapping = isinstance(event, yaml.MappingStartEvent)
                open_.append((set() if mapping else None, [True]))
            elif isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
            elif isinstance(event, yaml.AliasEvent):
                return False
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return False
    except yaml.YAMLError:
        return False
    return True


def _is_contested(value: str) -> bool:
    """Tell whether readers may differ on what a plain scalar is (text or number)."""
    if value[:1] not in _NUMBER_START or not _NUMBER_LIKE.fullmatch(value):
        return False
    if len(value) > _LONGEST_INTEGER and value.lstrip("+-").isdigit():
        return True
    return "_" in value or _CONTESTED_NUMBER.fullmatch(value) is not None


def _is_nesting_limit(error: yaml.YAMLError) -> bool:
    """Return whether ``error`` is libyaml's own refusal of deep nesting."""
    return isinstance(error, yaml.MarkedYAMLError) and "nesting depth" in (error.problem or "")


def _failing_scalar(node: yaml.Node) -> yaml.Node | None:
    """Return the first scalar that cannot be constructed on its own (a bad date, say)."""
    constructor = yaml.constructor.SafeConstructor()
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.ScalarNode):
            try:
                constructor.construct_object(current, deep=True)
            except (TypeError, ValueError, yaml.YAMLError):
                return current
        elif isinstance(current, yaml.MappingNode):
            pending.extend(item for pair in reversed(current.value) for item in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(reversed(current.value))
    return None


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
"""A bare ``=``: PyYAML builds it as a string only as the key of a mapping it builds."""


class _Walk:
    """One pass over the composed nodes: checks, the line of every key, the value.

    Each node is checked (no alias, not too deep, no duplicate key) and its line
    recorded before it is built. Strings, lists and mappings of scalar keys, nearly
    all a front matter holds, are built on the way; any other node (a number, a date,
    a set, a mapping with a ``<<`` merge key) is built by PyYAML's own constructor, so
    every value is the one ``yaml.safe_load`` gives, without a second pass over the
    tree.
    """

    def __init__(
        self,
        loader: yaml.constructor.SafeConstructor,
        lines: dict[PathKey, int],
        max_depth: int,
        path: Path | str | None,
        offset: int,
    ) -> None:
        self.loader = loader
        self.lines = lines
        self.seen: set[int] = set()
        self.max_depth = max_depth
        self.path = path
        self.offset = offset

    def value(self, node: yaml.Node, where: PathKey, depth: int, *, build: bool = True) -> Any:
        """Check ``node`` and its children, record their lines, and return its value
        (``None`` when ``build`` is false: a part of a node PyYAML will build)."""
        line = node.start_mark.line + 1 + self.offset
        if id(node) in self.seen:
            raise YamlError(
                "YAML aliases (*name) are not accepted here; write the value out",
                path=self.path,
                line=line,
            )
        self.seen.add(id(node))
        if depth > self.max_depth:
            raise YamlError(
                f"YAML nested deeper than {self.max_depth} levels", path=self.path, line=line
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where, depth, build)
        if isinstance(node, yaml.SequenceNode):
            build_items = build and node.tag == _SEQ
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*where, index)] = item.start_mark.line + 1 + self.offset
                items.append(self.value(item, (*where, index), depth + 1, build=build_items))
            if not build:
                return None
            return items if build_items else self._construct(node)
        if not build:
            return None
        return node.value if node.tag == _STR else self._construct(node)

    def _mapping(self, node: yaml.MappingNode, where: PathKey, depth: int, build: bool) -> Any:
        # A merge key, a "=" key, or a key that is itself a collection: PyYAML builds
        # the mapping (and says so when a key cannot be one).
        plain = node.tag == _MAP and all(
            isinstance(key, yaml.ScalarNode) and key.tag not in (_MERGE, _VALUE)
            for key, _ in node.value
        )
        build_items = build and plain
        built: dict[Any, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in _mapping_pairs(node):
            key_line = key_node.start_mark.line + 1 + self.offset
            scalar = isinstance(key_node, yaml.ScalarNode)
            key = key_node.value if scalar else str(key_line)
            if key in first_seen:
                raise YamlError(
                    f"duplicate key {key!r} (first defined on line {first_seen[key]})",
                    path=self.path,
                    line=key_line,
                    column=key_node.start_mark.column + 1,
                )
            first_seen[key] = key_line
            self.lines[(*where, key)] = key_line
            if scalar:
                built_key = self.value(key_node, where, depth + 1, build=build_items)
            else:  # checked like any node, but its items are no keys of the document
                kept, self.lines = self.lines, {}
                built_key = self.value(key_node, where, depth + 1, build=False)
                self.lines = kept
            built_value = self.value(value_node, (*where, key), depth + 1, build=build_items)
            if build_items:
                built[built_key] = built_value
        if not build:
            return None
        return built if plain else self._construct(node)

    def _construct(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)


def _mapping_pairs(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    yield from node.value


# YAML readers turn these into "\n" (or fold them) in every style but double-quoted.
_FRAGILE_BREAKS = re.compile("[\x85\u2028\u2029]")


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper: never anchors or aliases, list items indented under their key."""

    def ignore_aliases(self, data: Any) -> bool:
        # Two equal dates (createdAt, updatedAt) may be one object; write both out.
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        del indentless  # PyYAML asks for a list flush with its key; it reads better indented
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # The emitter falls back to double quotes with escapes where a block cannot hold
    # the text exactly (trailing spaces, tabs, control characters) or stands in a flow.
    style = '"' if _FRAGILE_BREAKS.search(text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_datetime(dumper: yaml.SafeDumper, moment: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", format_timestamp(moment))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(datetime, _represent_datetime)


def format_timestamp(moment: datetime) -> str:
    """Return ``moment`` as Interlock writes it: ISO 8601, in UTC with ``Z`` if zoned."""
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def dump_yaml(data: Any, *, inline_lists: bool = False) -> str:
    """Return ``data`` as YAML meant to be read and diffed in a pull request.

    Keys keep their order; multi-line text is a literal block; text holding U+0085,
    U+2028 or U+2029 is double-quoted (any other style reads them back as a space or a
    line break); datetimes are written by :func:`format_timestamp`; lines are never
    wrapped and nothing is written as an anchor or an alias.

    Args:
        data: plain data: mappings, lists, text, numbers, booleans, dates, ``None``.
        inline_lists: write lists of scalars on one line (``tags: [a, b]``), as front
            matter does; otherwise every collection is in block style.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=None if inline_lists else False,
        sort_keys=False,
        allow_unicode=True,
        width=2**30,  # one line per paragraph: wrapped lines make noisy diffs
    )


__all__ = [
    "MAX_DEPTH",
    "YamlDocument",
    "dump_yaml",
    "format_timestamp",
    "load_yaml",
    "reads_plainly",
]
