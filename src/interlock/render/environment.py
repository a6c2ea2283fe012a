"""The Jinja2 environment that renders documents, and where it finds templates.

Templates are package data (``interlock/templates/*.md.j2``). A workspace may put its
own under ``.interlock/templates/`` (``TEMPLATES_DIR``): a file there replaces the
built-in one of the same name, and can extend it to change only some blocks with
``{% extends "default:integration-spec.md.j2" %}``.

The environment is sandboxed (answers are user text, and a team's template is code
from a repository), undefined names are errors, and nothing is escaped as HTML. It
is bounded as well (:mod:`interlock.interview.bounded`): a template that asks for a
huge value, writes too much, nests too deeply or runs too long fails with an error
naming its file. A workspace template is read only from ``.interlock/templates/``
itself: a symbolic link, or a name that climbs out with ``..``, is refused, and so is
a file that is not a regular file, is over :data:`MAX_TEMPLATE_BYTES` or is not UTF-8.
Instead, every value a template prints passes through :func:`_finalize`, which
Markdown-escapes any text that is not already :class:`Markdown`, prints an
:class:`~interlock.model.integration.OpenQuestion` as a link to the document's open
questions, and refuses ``None``. The filters ``md``, ``md_cell``, ``md_block`` and
``md_heading`` choose the escaping explicitly; docs/templates.md lists every filter,
test and function a template can use.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context

from interlock.errors import RenderError
from interlock.interview.bounded import BoundedEnvironment, render_bounded
from interlock.interview.limits import Limits, limit_message
from interlock.model.integration import NOT_COVERED, Integration, OpenQuestion
from interlock.render.loader import MAX_TEMPLATE_BYTES, templates_folder, workspace_loader
from interlock.render.markdown_escape import (
    Markdown,
    escape_block,
    escape_cell,
    escape_heading,
    escape_inline,
    normalise_text,
)
from interlock.render.system_context import Flow, calls_us, context_mermaid, system_context
from interlock.workspace.root import TEMPLATES_DIR

__all__ = [
    "DEFAULT_PREFIX",
    "ESCAPE_FILTERS",
    "MAX_TEMPLATE_BYTES",
    "TEMPLATE_LIMITS",
    "backtick_fence",
    "render_template",
    "template_environment",
]

DEFAULT_PREFIX = "default"
"""The prefix that names a built-in template from a workspace's override."""
ESCAPE_FILTERS: Mapping[str, Callable[[str], Markdown]] = MappingProxyType(
    {
        "md": escape_inline,
        "md_cell": escape_cell,
        "md_block": escape_block,
        "md_heading": escape_heading,
    }
)
"""The filters that escape answer text for a place in Markdown, by filter name."""
TEMPLATE_LIMITS = Limits(
    text=1_000_000, items=100_000, digits=10_000, output=10_000_000, seconds=10.0, depth=50
)
"""What one template may build and write, and how long one document may take.

The largest built-in document is about 25 kB, and the four of an interview render in
about 30 ms, so each cap leaves a team's template orders of magnitude of room;
``items`` matches the largest ``range`` Jinja's sandbox allows.
"""


class _PrintedNone(TemplateError):
    """A template printed a value that is missing (``None``)."""


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    """Turn what a template prints into Markdown; plain text is always escaped."""
    if isinstance(value, Markdown):
        return value
    if isinstance(value, str):
        return escape_inline(value)
    if isinstance(value, OpenQuestion):
        return _open_reference(context)
    if value is None:
        raise _PrintedNone(
            "the template prints a missing value (None); test it with {% if %} first"
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        if isinstance(context.environment, BoundedEnvironment):
            context.environment.check_size(value)  # a list of huge texts, printed whole
        return Markdown(", ".join(_finalize(context, item) for item in value))
    return escape_inline(str(value))


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def _open_reference(context: Context) -> Markdown:
    """Return the pointer printed where a fact is an open question."""
    return Markdown(f"open question, see {_open_link(context)}")


@pass_context
def _open_link(context: Context) -> Markdown:
    """Return a link to the document's section of open questions."""
    title = str(context.get("open_title", "Open Questions"))
    return Markdown(f"[{escape_cell(title)}](#{_anchor(title)})")


@pass_context
def _with_unit(context: Context, value: Any, unit: str) -> Markdown | None:
    """Print a number with its unit, or the open-question pointer; ``None`` stays."""
    if isinstance(value, OpenQuestion):
        return _open_reference(context)
    if value is None:
        return None
    return Markdown(f"{_number(value)} {escape_inline(unit)}")


def backtick_fence(text: str, shortest: int = 1) -> str:
    """Return a run of backticks longer than any in ``text``, and at least ``shortest``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(shortest, longest + 1)


def _fence(text: str) -> Markdown:
    """Return ``text`` as a fenced code block whose fence no line of it can close."""
    body = normalise_text(str(text)).rstrip("\n")
    fence = backtick_fence(body, shortest=3)
    return Markdown(f"{fence}text\n{body}\n{fence}")


def _diagram(integration: Integration) -> Markdown:
    """Return the system-context diagram of ``integration`` as a fenced Mermaid block."""
    body = context_mermaid(system_context(integration)).rstrip("\n")
    fence = backtick_fence(body, shortest=3)
    return Markdown(f"{fence}mermaid\n{body}\n{fence}")


def _covered(value: Any) -> Any:
    """Return ``value``, or the words saying the interview did not cover it (for ``None``).

    An open question stays itself: printed, it points to the open questions.
    """
    return Markdown(NOT_COVERED) if value is None else value


def _flows(integration: Integration) -> tuple[Flow, ...]:
    """Return the flows of ``integration``'s system-context view, as the diagram draws them."""
    return system_context(integration).flows


def _trust(text: str) -> Markdown:
    """Mark text the template itself wrote as Markdown; never use it on answers."""
    return Markdown(text)


@pass_context
def _field(context: Context, label: str, value: Any) -> Markdown:
    """Return a ``- **Label**: value`` line after a line break, or nothing for ``None``.

    Written as ``{{- field("Label", value) }}`` on its own line, a field that does not
    apply leaves no blank line behind.
    """
    if value is None:
        return Markdown("")
    shown = _finalize(context, value) if value not in ((), "") else "none"
    return Markdown(f"\n- **{escape_inline(label)}**: {shown}")


def _is_open(value: Any) -> bool:
    return isinstance(value, OpenQuestion)


def _is_known(value: Any) -> bool:
    return value is not None and not isinstance(value, OpenQuestion)


def _anchor(title: str) -> Markdown:
    """Return the link fragment GitHub and most viewers give a heading's title."""
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
    return Markdown(slug)


def _package_loader() -> BaseLoader:
    return PackageLoader("interlock", "templates")


@lru_cache(maxsize=8)
def _environment(workspace_templates: str | None) -> BoundedEnvironment:
    package = _package_loader()
    loaders: list[BaseLoader] = []
    if workspace_templates is not None:
        loaders.append(workspace_loader(Path(workspace_templates)))
    loaders.extend([PrefixLoader({DEFAULT_PREFIX: package}, delimiter=":"), package])
    environment = BoundedEnvironment(
        TEMPLATE_LIMITS,
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    environment.add_filters(
        {
            **ESCAPE_FILTERS,
            "anchor": _anchor,
            "unit": _with_unit,
            "fence": _fence,
            "diagram": _diagram,
            "flows": _flows,
            "covered": _covered,
            "markdown": _trust,
        }
    )
    environment.tests.update(open=_is_open, known=_is_known, calls_us=calls_us)
    environment.globals.update(field=_field, open_link=_open_link)
    return environment


def template_environment(workspace_root: Path | None = None) -> BoundedEnvironment:
    """Return the environment for ``workspace_root`` (built-in templates alone if None).

    Raises:
        RenderError: the workspace's templates folder is a symbolic link.
    """
    folder = templates_folder(workspace_root) if workspace_root is not None else None
    return _environment(str(folder) if folder is not None else None)


def render_template(
    name: str, context: Mapping[str, Any], *, workspace_root: Path | None = None
) -> str:
    """Render template ``name`` with ``context``.

    Raises:
        RenderError: the template is missing, does not compile, or fails while
            rendering; the error names the template file and line.
    """
    environment = template_environment(workspace_root)
    filename: str | None = None
    try:
        template = environment.get_template(name)
        filename = template.filename
        return render_bounded(template, context)
    except TemplateNotFound as error:
        raise RenderError(
            f"no template named {error.name!r}",
            hint=f"built-in templates live in interlock/templates; a workspace's in "
            f"{TEMPLATES_DIR}/",
        ) from None
    except TemplateSyntaxError as error:
        raise RenderError(
            f"template {error.name or name!r} does not compile: {error.message}",
            path=error.filename,
            line=error.lineno,
        ) from None
    except (
        TemplateError,
        ArithmeticError,
        AttributeError,
        TypeError,
        ValueError,
        LookupError,
    ) as error:
        path, line = _template_position(error, filename)
        raise RenderError(
            f"template {name!r} failed: {error}",
            path=path,
            line=line,
            hint="docs/templates.md lists the names, filters and tests a template can use",
        ) from None
    except (RecursionError, MemoryError) as error:
        path, line = _template_position(error, filename)
        raise RenderError(
            f"template {name!r} failed: {limit_message(error)}",
            path=path,
            line=line,
            hint="simplify the template; it may not recurse without end",
        ) from None


def _template_position(error: BaseException, filename: str | None) -> tuple[str | None, int | None]:
    """Return the template file and line the error was raised at, if Jinja recorded it.

    An error found outside the template's code (its output grew too long) is placed in
    the file ``filename`` without a line.
    """
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".j2"):
            return frame.filename, frame.lineno
    return filename, None
