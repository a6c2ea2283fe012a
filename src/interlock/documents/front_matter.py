"""Split the YAML front matter off a Markdown document and parse it safely.

Front matter is the block between a first line of ``---`` and the next line of
``---`` (or ``...``). Parsing goes through :func:`interlock.safe_yaml.load_yaml`, so
syntax errors keep their line, duplicate keys and aliases are refused, and the line
of each key is known. Problems are returned as data, never raised: a broken front
matter is a finding, not a crash.
"""

from __future__ import annotations

from typing import Any

from interlock.documents.model import FrontMatter, FrontMatterError
from interlock.errors import YamlError
from interlock.safe_yaml import load_yaml

_FENCE = "---"
_CLOSERS = ("---", "...")


def split_front_matter(lines: tuple[str, ...]) -> tuple[FrontMatter | None, int]:
    """Parse the front matter at the top of ``lines``.

    Returns:
        The front matter (``None`` when the document has none) and the number of
        lines it occupies, fences included (0 when there is none; every line of the
        file when it is never closed).
    """
    if not lines or lines[0].rstrip() != _FENCE:
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return _parse(lines[1:index], start_line=1, end_line=index + 1), index + 1
    error = FrontMatterError(
        "front matter opened on line 1 is never closed with a '---' line", line=1
    )
    return FrontMatter({}, 1, len(lines), error=error), len(lines)


def _parse(block: tuple[str, ...], *, start_line: int, end_line: int) -> FrontMatter:
    try:
        loaded = load_yaml("\n".join(block), line_offset=start_line)
    except YamlError as error:
        problem = FrontMatterError(error.message, error.line or start_line, error.column or 1)
        return FrontMatter({}, start_line, end_line, error=problem)
    value: Any = loaded.value
    if value is None:
        value = {}
    if not isinstance(value, dict):
        shape = "a list" if isinstance(value, list) else "a single value"
        problem = FrontMatterError(
            f"front matter must be a mapping of fields, not {shape}", start_line + 1
        )
        return FrontMatter({}, start_line, end_line, error=problem)
    key_lines: dict[str, int] = {}
    item_lines: dict[tuple[str, int], int] = {}
    for path, line in loaded.lines.items():
        if len(path) == 1:
            key_lines[str(path[0])] = line
        elif len(path) == 2 and isinstance(path[1], int):
            item_lines[(str(path[0]), path[1])] = line
    data = {str(key): item for key, item in value.items()}
    return FrontMatter(data, start_line, end_line, key_lines, item_lines)


__all__ = ["split_front_matter"]
