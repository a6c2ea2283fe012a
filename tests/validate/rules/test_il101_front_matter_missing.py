from pathlib import Path

from interlock.documents.model import DocumentKind
from interlock.documents.reader import decode_text
from support.rule_checks import assert_findings

FRONT_MATTER = "---\nid: spec-integration-payments-001\ntitle: Payments\n---\n"
INTEGRATION_BODY = (
    "# Payments Integration Specification\n\n"
    "## Third-Party System Information\n\nStripe.\n\n"
    "## Integration Contracts\n\nPOST /charges.\n"
)


def test_speckit_spec_without_front_matter_is_reported_at_line_1() -> None:
    problems = assert_findings("front-matter-missing", "# Checkout\n\nText.\n", [(1, 1)])
    assert "front matter" in problems[0].message
    assert problems[0].hint == ""


def test_integration_spec_without_front_matter_is_reported() -> None:
    problems = assert_findings("front-matter-missing", INTEGRATION_BODY, [(1, 1)])
    assert "'---'" in problems[0].message


def test_spec_with_front_matter_passes() -> None:
    assert_findings("front-matter-missing", FRONT_MATTER + "\n" + INTEGRATION_BODY, [])


def test_blank_lines_above_the_fence_are_named_in_the_hint() -> None:
    text = "\n\n" + FRONT_MATTER + "\n# Payments\n"
    problems = assert_findings("front-matter-missing", text, [(1, 1)])
    assert "line 3" in problems[0].hint


def test_setext_heading_underline_is_not_taken_for_a_fence() -> None:
    problems = assert_findings("front-matter-missing", "Payments\n---\n\nText.\n", [(1, 1)])
    assert problems[0].hint == ""


def test_documents_that_never_have_front_matter_pass() -> None:
    assert_findings("front-matter-missing", "# Integration Points - Payments\n\nText.\n", [])
    assert_findings("front-matter-missing", "# Notes\n", [], path="specs/pay/plan.md")
    assert_findings("front-matter-missing", "# Notes\n", [], kind=DocumentKind.MARKDOWN)


def test_front_matter_with_bom_and_crlf_is_found() -> None:
    data = b"\xef\xbb\xbf" + (FRONT_MATTER + "\n# Payments\n").replace("\n", "\r\n").encode()
    text = decode_text(data, path=Path("specs/spec.md"))
    assert_findings("front-matter-missing", text, [])
