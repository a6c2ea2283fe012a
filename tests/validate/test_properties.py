"""Properties of ``interlock validate`` over generated input, run as a user would run it.

For any bytes, and for any document assembled from front matter, headings, tables,
code fences, comments, task lists and unicode text, the command finishes without a
traceback, exits 0 or 1, writes a JSON report that parses and agrees with itself, and
points every finding at a line of the file. Line endings and a byte-order mark never
change what is found.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:  # the fixture's types; pytest itself imports the conftest
    from conftest import ValidateCli, ValidateRun

SPEC = "specs/generated.md"
FIELDS = [
    "id",
    "title",
    "type",
    "category",
    "author",
    "version",
    "status",
    "priority",
    "createdAt",
    "updatedAt",
    "estimatedEffort",
    "actualEffort",
    "reviewers",
    "approvers",
    "tags",
    "parent",
    "dependencies",
    "related",
]
SECTION_TITLES = [
    "Overview and Context",
    "Integration Goals and Success Criteria",
    "Third-Party System Information",
    "Integration Architecture",
    "Integration Contracts",
    "Error Handling and Recovery",
    "Retry Mechanism",
    "Open Questions",
    "Review and Approval",
    "Change History",
]
SNIPPETS = [
    "{{Integration Name}}",
    "{ { hours } }",
    "[Feature Name]",
    "YYYY-MM-DD",
    "SEV-X",
    "TBD",
    "TODO: ask the vendor",
    "**Method**: POST",
    "**Endpoint**: /v1/charges",
    "- **Authentication Method**: OAuth 2.0",
    "- **Rate Limits**: 100 requests per second",
    "- **Max Retries**: 3",
    "- **Timeout**: 5 s",
    "[the docs](https://example.com/docs)",
    "AKIAIOSFODNN7EXAMPLE",
    # Split so that no scanner of this repository mistakes the test data for a leak.
    "sk_" + "live_" + "51HxQ2eZvKYlo2C0a1b2c3d4",
    "spec-integration-payments-001",
    "<!-- interlock-disable-next-line placeholder -->",
    "<!-- interlock-disable placeholder -->",
    "<!-- interlock-enable -->",
    "<!--",
    "-->",
    "`code span`",
    "\\|",
    "|",
    "---",
    "...",
    "```",
    "~~~",
    "#",
    "> quoted",
    "- [ ] open item",
    "- [x] done item",
    "1. first",
    "&amp; &#0; &#x110000;",
    "\t",
    "\ufeff",
    "\u2028",
    "e\u0301",
    "🙂",
    "ﷺ",
]
BREAKS = re.compile(rb"\r\n|\r|\n")

# Inline text: any character but NUL (which makes the whole file unreadable) and the
# line breaks, which the assembling strategies place themselves.
inline_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r\n"), max_size=40
)
words = st.one_of(inline_text, st.sampled_from(SNIPPETS))
line_of_words = st.lists(words, max_size=6).map(" ".join)

scalar_values = st.one_of(
    inline_text,
    st.sampled_from(["spec-integration-payments-001", "{{author-name}}", "2024-05-02", "draft"]),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
)
field_values = st.recursive(
    scalar_values,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(inline_text, children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def front_matter(draw: st.DrawFn) -> list[str]:
    """Front matter lines: valid YAML, raw lines that may not parse, and maybe no closing fence."""
    names = draw(st.lists(st.one_of(st.sampled_from(FIELDS), inline_text), max_size=10))
    if draw(st.booleans()):
        data = {name: draw(field_values) for name in names}
        block = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).splitlines()
    else:
        block = [f"{name}: {draw(line_of_words)}" for name in names]
    if "type" not in names and draw(st.booleans()):
        # With an integration heading below, this makes an integration spec.
        block.insert(draw(st.integers(0, len(block))), "type: service_spec")
    closing = draw(st.sampled_from(["---", "...", ""]))
    return ["---", *block, *([closing] if closing else [])]


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    """A table whose rows have random numbers of cells, as hand-edited tables do."""
    columns = draw(st.integers(min_value=1, max_value=6))
    rows = draw(st.lists(st.integers(min_value=0, max_value=8), max_size=5))
    header = "| " + " | ".join(draw(line_of_words) for _ in range(columns)) + " |"
    lines = [header, "|" + "---|" * columns]
    for cells in rows:
        lines.append("| " + " | ".join(draw(inline_text) for _ in range(cells)) + " |")
    return lines


@st.composite
def block(draw: st.DrawFn) -> list[str]:
    """One Markdown block of the kinds a spec holds, sometimes left unclosed."""
    kind = draw(st.sampled_from(["heading", "text", "table", "code", "comment", "tasks", "list"]))
    if kind == "heading":
        title = draw(st.one_of(st.sampled_from(SECTION_TITLES), line_of_words))
        return [f"{'#' * draw(st.integers(min_value=1, max_value=7))} {title}"]
    if kind == "table":
        return draw(table())
    if kind == "code":
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        info = draw(st.sampled_from(["", "json", "markdown", "yaml"]))
        body = draw(st.lists(line_of_words, max_size=4))
        closed = draw(st.booleans())
        return [fence + info, *body, *([fence] if closed else [])]
    if kind == "comment":
        body = draw(st.lists(line_of_words, max_size=3))
        return ["<!--", *body, *(["-->"] if draw(st.booleans()) else [])]
    if kind in ("tasks", "list"):
        items = draw(st.lists(line_of_words, min_size=1, max_size=4))
        marker = "- [ ] " if kind == "tasks" else draw(st.sampled_from(["- ", "* ", "1. "]))
        return [f"{'  ' * draw(st.integers(0, 2))}{marker}{item}" for item in items]
    return draw(st.lists(line_of_words, min_size=1, max_size=3))


@st.composite
def document_lines(draw: st.DrawFn) -> list[str]:
    """A whole document as lines: maybe front matter, then blocks separated by blanks."""
    lines = draw(front_matter()) if draw(st.booleans()) else []
    parts = draw(st.lists(block(), max_size=12))
    if draw(st.booleans()):
        # An integration section, so that the integration-spec rules run often too.
        title = draw(st.sampled_from(SECTION_TITLES[2:5]))
        parts.insert(draw(st.integers(0, len(parts))), [f"## {title}"])
    for part in parts:
        lines.extend([*part, ""] if draw(st.booleans()) else part)
    return lines


def encode(lines: list[str], newline: str, *, bom: bool = False, final: bool = True) -> bytes:
    text = newline.join(lines) + (newline if final and lines else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def line_count(data: bytes) -> int:
    """Count the lines an editor shows: CRLF, CR and LF each end one."""
    if not data:
        return 0
    breaks = len(BREAKS.findall(data))
    return breaks if data.endswith((b"\n", b"\r")) else breaks + 1


def check_run(workspace: Path, validate_cli: ValidateCli, data: bytes) -> ValidateRun:
    """Validate ``data`` as one spec file and check what must hold for any input."""
    (workspace / SPEC).write_bytes(data)
    run = validate_cli(workspace, SPEC, "--no-cache")
    assert run.exit_code in (0, 1), run.output
    assert run.report is not None, run.output
    assert [file["path"] for file in run.report["files"]] == [SPEC]
    last = line_count(data) + 1
    for finding in run.findings:
        assert 1 <= finding["line"] <= last, (finding, last)
        assert finding["column"] >= 1, finding
    severities = Counter(finding["severity"] for finding in run.findings)
    summary = run.report["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == (
        severities["error"],
        severities["warning"],
        severities["info"],
    )
    assert (run.exit_code == 1) == summary["failed"]
    return run


def finding_keys(run: ValidateRun) -> list[tuple[Any, ...]]:
    return sorted((f["line"], f["column"], f["rule"], f["message"]) for f in run.findings)


PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY_SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.lists(
            st.sampled_from(
                [b"---\n", b"# T\n", b"\r\n", b"\r", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\x00"]
            )
            | st.binary(max_size=16),
            max_size=30,
        ).map(b"".join),
    )
)
def test_any_bytes_are_reported_without_a_crash(
    shared_workspace: Path, validate_cli: ValidateCli, data: bytes
) -> None:
    check_run(shared_workspace, validate_cli, data)


@PROPERTY_SETTINGS
@given(
    lines=document_lines(),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    final=st.booleans(),
)
def test_any_document_is_checked_without_a_crash(
    shared_workspace: Path,
    validate_cli: ValidateCli,
    lines: list[str],
    newline: str,
    bom: bool,
    final: bool,
) -> None:
    run = check_run(shared_workspace, validate_cli, encode(lines, newline, bom=bom, final=final))
    assert "unreadable" not in {finding["rule"] for finding in run.findings}


@settings(PROPERTY_SETTINGS, max_examples=60)
@given(lines=document_lines())
def test_line_endings_and_byte_order_mark_change_nothing(
    shared_workspace: Path, validate_cli: ValidateCli, lines: list[str]
) -> None:
    # A document that itself starts with U+FEFF is indistinguishable from one with a BOM.
    assume(not (lines and lines[0].startswith("\ufeff")))
    expected = finding_keys(check_run(shared_workspace, validate_cli, encode(lines, "\n")))
    for newline, bom in (("\r\n", False), ("\r", False), ("\n", True)):
        data = encode(lines, newline, bom=bom)
        assert finding_keys(check_run(shared_workspace, validate_cli, data)) == expected, (
            repr(newline),
            bom,
        )
