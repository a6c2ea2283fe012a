"""The Jinja sandbox, bounded: what every bank expression and template is compiled in.

Bank expressions and workspace templates arrive in pull requests, so they are
untrusted code. Jinja's sandbox stops them reaching Python's internals, but not from
asking for ``10 ** 10000000``, ``'x'.center(2000000000)`` or a billion loop turns.
:class:`BoundedEnvironment` is the sandbox with a cap on everything that can grow:

- **values.** ``+``, ``*``, ``%`` and ``**``, the string methods and the filters
  that build text (``center``, ``format``, ``replace``, ``join``, ``indent``, …),
  ``~`` and ``str.format`` refuse a result over :attr:`Limits.text` characters,
  :attr:`Limits.items` items or :attr:`Limits.digits` digits, *before* making it
  wherever the size can be foreseen, and check it after in any case;
- **output.** Everything a template writes, to its output or to the buffer of a
  macro, ``{% set %}`` block or ``{% call %}``, counts towards :attr:`Limits.output`;
- **time.** Every loop turn, call, attribute and filter checks a deadline, so a
  render or a walk over a bank stops after :attr:`Limits.seconds`, whatever keeps
  it busy;
- **depth.** Macros and recursive loops nest at most :attr:`Limits.depth` deep.

The deadline and the output count belong to the run under way
(:func:`~interlock.interview.limits.run_limits`).

Loop turns, ``~`` and buffers pass through no sandbox hook, so the compiler routes
them through the environment: each ``for`` loop's iterable is wrapped in a call that
checks the deadline per item, each ``~`` becomes a call that measures its parts, and
each buffer is a list that counts what is appended to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter

from interlock.interview.limits import (
    LimitError,
    Limits,
    charge,
    check_time,
    nested_call,
    run_limits,
    text_size,
)

__all__ = ["BoundedEnvironment", "render_bounded"]


def render_bounded(template: Template, variables: Mapping[str, Any]) -> str:
    """Render ``template`` within its environment's limits, counting what it writes."""
    environment = template.environment
    if not isinstance(environment, BoundedEnvironment) or not issubclass(
        environment.code_generator_class, _BoundedCodeGenerator
    ):
        raise TypeError("the template was not compiled with the loop and buffer guards")
    with run_limits(environment.limits):
        pieces = []
        for piece in template.generate(variables):
            charge(len(piece))
            pieces.append(piece)
        return "".join(pieces)


class _Buffer(list[str]):
    """A template's output buffer that counts what is written to it."""

    __slots__ = ()

    def append(self, text: str) -> None:
        charge(len(text))
        super().append(text)

    def extend(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.append(text)


_PRINTF = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<kind>[diouxXeEfFgGcrsa%])"
)
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every value, output, loop and call bounded."""

    intercepted_binops = frozenset({"+", "*", "%", "**"})

    def __init__(self, limits: Limits, **options: Any) -> None:
        self.limits = limits
        super().__init__(**options)
        self.code_generator_class = _BoundedCodeGenerator
        # lipsum(10**9) builds a billion paragraphs; no document needs filler text.
        self.globals.pop("lipsum", None)
        for name, function in list(self.filters.items()):
            check = _FILTER_CHECKS.get(name, _no_check)
            self.filters[name] = self._bounded_filter(function, check)

    def add_filters(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        """Add filters that are refused any argument over the text limit, as printing is."""
        for name, function in filters.items():
            self.filters[name] = self._bounded_filter(function, _size_all)

    def check_size(self, value: Any) -> None:
        """Refuse ``value`` if its text would be over the text limit.

        Raises:
            LimitError: it would.
        """
        self._check_text(text_size(value, self.limits.text))

    # -- what the compiled code calls ---------------------------------------------

    def guard_loop(self, iterable: Any) -> Iterator[Any]:
        """Yield the items of a loop, checking the deadline before each."""
        for item in iterable:
            check_time()
            yield item

    def join_text(self, *parts: Any) -> str:
        """Return ``~`` of ``parts``, refusing a result over the text limit."""
        self._check_text(sum(text_size(part, self.limits.text) for part in parts))
        joined = "".join(map(str, parts))
        self._check_text(len(joined))
        return joined

    def output_buffer(self) -> list[str]:
        """Return a buffer for a macro or block that counts towards the output limit."""
        return _Buffer()

    # -- sandbox hooks --------------------------------------------------------------

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_time()
        if operator == "**":
            self._check_power(left, right)
        elif operator == "*":
            self._check_product(left, right)
        elif operator == "+":
            self._check_sum(left, right)
        elif operator == "%" and isinstance(left, str):
            self._check_printf(left, right)
        return self._result(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_time()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | bytes):
            __self._check_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        with nested_call(__self.limits.depth):
            return __self._result(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_time()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return ``str.format`` and ``str.format_map`` bounded like everything else."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text: str = value.__self__
        formatter = _BoundedFormatter(self)
        is_map = value.__name__ == "format_map"

        @wraps(wrapped)
        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                return bounded_format((), args[0])
            return bounded_format(args, kwargs)

        def bounded_format(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
            formatter.written = 0
            return type(text)(formatter.vformat(text, args, kwargs))

        return bounded

    # -- checks ---------------------------------------------------------------------

    def _check_text(self, size: int) -> None:
        if size > self.limits.text:
            raise LimitError(f"results longer than {self.limits.text:,} characters are not allowed")

    def _check_items(self, count: int) -> None:
        if count > self.limits.items:
            raise LimitError(f"results of more than {self.limits.items:,} items are not allowed")

    def _check_digits(self, bits: int) -> None:
        if bits * 30103 // 100000 > self.limits.digits:
            raise LimitError(f"numbers of more than {self.limits.digits:,} digits are not allowed")

    def _result(self, value: Any) -> Any:
        if isinstance(value, str | bytes):
            self._check_text(len(value))
        elif isinstance(value, list | tuple | Mapping | set | frozenset):
            self._check_items(len(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            self._check_digits(value.bit_length())
        return value

    def _check_power(self, base: Any, exponent: Any) -> None:
        if not isinstance(base, int | float) or not isinstance(exponent, int | float):
            return
        if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
            self._check_digits(max(abs(base).bit_length() - 1, 1) * exponent)

    def _check_product(self, left: Any, right: Any) -> None:
        for sequence, times in ((left, right), (right, left)):
            if not isinstance(times, int):
                continue
            if isinstance(sequence, str | bytes):
                self._check_text(len(sequence) * times)
            elif isinstance(sequence, list | tuple):
                self._check_items(len(sequence) * times)
            elif isinstance(sequence, int):
                self._check_digits(sequence.bit_length() + times.bit_length())

    def _check_sum(self, left: Any, right: Any) -> None:
        if isinstance(left, str | bytes) and isinstance(right, str | bytes):
            self._check_text(len(left) + len(right))
        elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
            self._check_items(len(left) + len(right))

    def _check_printf(self, template: str, values: Any) -> None:
        """Refuse ``template % values`` if its result could exceed the text limit."""
        positional = iter(values if isinstance(values, tuple) else (values,))
        size = len(template)
        for match in _PRINTF.finditer(template):
            if match["kind"] == "%":
                continue
            if "*" in (match["width"], match["precision"]):
                raise LimitError("'*' widths in % formatting are not allowed")
            width = int(match["width"] or 0)
            precision = int(match["precision"] or 0)
            self._check_text(max(width, precision))
            if match["key"] is not None and isinstance(values, Mapping):
                value = values.get(match["key"])
            else:
                value = next(positional, None)
            size += width + precision + text_size(value, self.limits.text)
            self._check_text(size)

    def _check_method(
        self, text: str | bytes, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
    ) -> None:
        """Refuse a string method whose result could exceed the text limit."""
        given = [*args, *kwargs.values()]
        if name in ("center", "ljust", "rjust", "zfill") and given:
            if isinstance(given[0], int):
                self._check_text(given[0])
        elif name == "expandtabs":
            size = given[0] if given and isinstance(given[0], int) else 8
            tab: Any = "\t" if isinstance(text, str) else b"\t"
            self._check_text(len(text) + text.count(tab) * max(size, 0))
        elif name == "replace" and len(given) >= 2:
            self._check_text(_replaced_size(text, given[0], given[1], None))
        elif name == "join" and given:
            self._check_joined(text, given[0])
        elif name == "translate" and given and isinstance(given[0], Mapping):
            longest = max((text_size(v, self.limits.text) for v in given[0].values()), default=1)
            self._check_text(len(text) * max(longest, 1))

    def _check_joined(self, separator: Any, items: Any) -> None:
        if not isinstance(items, list | tuple):
            return
        size = text_size(separator, self.limits.text) * len(items)
        size += sum(text_size(item, self.limits.text) for item in items)
        self._check_text(size)

    def _bounded_filter(
        self, function: Callable[..., Any], check: Callable[[BoundedEnvironment, list[Any]], None]
    ) -> Callable[..., Any]:
        passes = getattr(function, "jinja_pass_arg", None)

        @wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            check_time()
            given = list(args[1:] if passes is not None else args)
            check(self, [*given, *kwargs.values()])
            return self._result(function(*args, **kwargs))

        return bounded


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` of the sandbox, refusing fields and results over the text limit."""

    def __init__(self, env: BoundedEnvironment) -> None:
        super().__init__(env)
        self.bounded = env
        self.written = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        check_time()
        spec = _SPEC.match(format_spec)
        if spec is not None:
            self.bounded._check_text(int(spec["width"] or 0))
            self.bounded._check_text(int(spec["precision"] or 0))
        self.bounded._check_text(text_size(value, self.bounded.limits.text))
        formatted = super().format_field(value, format_spec)
        self.written += len(formatted)
        self.bounded._check_text(self.written)
        return formatted


def _replaced_size(text: Any, old: Any, new: Any, count: Any) -> int:
    if not isinstance(text, str | bytes) or not isinstance(new, str | bytes):
        return 0
    if not isinstance(old, str | bytes) or type(old) is not type(text):
        return len(text)
    found = text.count(old)  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _no_check(env: BoundedEnvironment, given: list[Any]) -> None:
    """Filters whose result is no larger than what they are given need no check first."""


def _size_all(env: BoundedEnvironment, given: list[Any]) -> None:
    env._check_text(sum(text_size(value, env.limits.text) for value in given))


def _size_first(env: BoundedEnvironment, given: list[Any]) -> None:
    if given:
        env._check_text(text_size(given[0], env.limits.text))


def _check_center(env: BoundedEnvironment, given: list[Any]) -> None:
    if len(given) > 1 and isinstance(given[1], int):
        env._check_text(given[1])


def _check_indent(env: BoundedEnvironment, given: list[Any]) -> None:
    if not given or not isinstance(given[0], str):
        return
    width = given[1] if len(given) > 1 else 4
    step = width if isinstance(width, int) else len(str(width))
    env._check_text(len(given[0]) + (given[0].count("\n") + 1) * max(step, 0))


def _check_format(env: BoundedEnvironment, given: list[Any]) -> None:
    if given and isinstance(given[0], str):
        env._check_printf(given[0], tuple(given[1:]))


def _check_replace(env: BoundedEnvironment, given: list[Any]) -> None:
    if len(given) >= 3:
        count = given[3] if len(given) > 3 else None
        env._check_text(_replaced_size(given[0], given[1], given[2], count))


def _check_join(env: BoundedEnvironment, given: list[Any]) -> None:
    if given and isinstance(given[0], list | tuple):
        env._check_joined(given[1] if len(given) > 1 else "", given[0])


def _check_wordwrap(env: BoundedEnvironment, given: list[Any]) -> None:
    if not given or not isinstance(given[0], str):
        return
    width = given[1] if len(given) > 1 and isinstance(given[1], int) else 79
    wrap = given[3] if len(given) > 3 and isinstance(given[3], str) else "\n"
    env._check_text(len(given[0]) + (len(given[0]) // max(width, 1) + 1) * len(wrap))


def _check_count(env: BoundedEnvironment, given: list[Any]) -> None:
    if len(given) > 1 and isinstance(given[1], int):
        env._check_items(given[1])


_FILTER_CHECKS: Mapping[str, Callable[[BoundedEnvironment, list[Any]], None]] = {
    "center": _check_center,
    "indent": _check_indent,
    "format": _check_format,
    "replace": _check_replace,
    "join": _check_join,
    "wordwrap": _check_wordwrap,
    "batch": _check_count,
    "slice": _check_count,
    "string": _size_first,
    "pprint": _size_first,
    "tojson": _size_first,
    "urlize": _size_first,
    "xmlattr": _size_first,
}


def _add_guards(template: nodes.Template) -> None:
    """Route loops and ``~`` through the environment, where they are bounded."""
    found = [template, *template.find_all(nodes.Node)]
    for node in reversed(found):  # innermost first, so an outer ``~`` keeps the inner fix
        if isinstance(node, nodes.For):
            iterable: nodes.Expr = node.iter  # type: ignore[assignment]  # typed Node by Jinja
            node.iter = _environment_call(BoundedEnvironment.guard_loop, [iterable], node)
        for name, value in node.iter_fields():
            if isinstance(value, nodes.Concat):
                setattr(node, name, _joined(value))
            elif isinstance(value, list):
                value[:] = [_joined(v) if isinstance(v, nodes.Concat) else v for v in value]


def _joined(concat: nodes.Concat) -> nodes.Call:
    return _environment_call(BoundedEnvironment.join_text, list(concat.nodes), concat)


def _environment_call(
    method: Callable[..., Any], args: list[nodes.Expr], near: nodes.Node
) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(method.__name__), args, [], None, None)
    call.set_lineno(near.lineno)
    return call


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with loops and ``~`` guarded and buffers counted."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        _add_guards(node)
        super().visit_Template(node, frame)

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(
            f"{frame.buffer} = environment.{BoundedEnvironment.output_buffer.__name__}()"
        )
