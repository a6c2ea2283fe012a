from pathlib import Path

import pytest

from interlock.render.blank import BlankKind
from support.rule_checks import assert_findings, blank_template, config_error, run_rule, seed_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"

GUIDANCE = """\
# Spec

## Overview and Context

<!--
  PURPOSE: Provide a high-level overview of the integration
  TIPS:
  - Explain why this integration is needed
-->

The order service charges cards.

## Goals

Text. <!-- TIPS: name a metric per goal -->
"""


def test_each_guidance_comment_is_one_finding_at_its_first_line() -> None:
    problems = assert_findings("template-guidance", GUIDANCE, [(5, 1), (15, 7)])
    assert "PURPOSE: Provide a high-level overview" in problems[0].message
    assert "TIPS: name a metric per goal" in problems[1].message


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- Reviewed with the payments team on 2024-05-02. -->",
        "<!-- interlock-disable-next-line placeholder -->",
        "<!-- interlock-disable template-guidance PURPOSE: kept as an example -->",
        "<!-- purpose: lower case is the author's own note -->",
    ],
    ids=["own-note", "suppression", "suppression-with-marker", "other-case"],
)
def test_other_comments_pass(comment: str) -> None:
    assert_findings("template-guidance", f"# Spec\n\n{comment}\n\nText.\n", [])


def test_markers_in_code_blocks_are_not_comments() -> None:
    text = "# Spec\n\n```html\n<!-- PURPOSE: an example of the template -->\n```\n"
    assert_findings("template-guidance", text, [])


def test_markers_option_replaces_the_defaults() -> None:
    text = "# Spec\n\n<!-- GUIDE: remove me -->\n\n<!-- PURPOSE: kept -->\n"
    assert_findings("template-guidance", text, [(3, 1)], options={"markers": ["GUIDE:"]})


def test_the_blank_template_has_a_guidance_comment_per_section() -> None:
    text = blank_template(BlankKind.INTEGRATION_SPEC)
    problems = run_rule("template-guidance", text)
    assert len(problems) == 13
    lines = text.splitlines()
    assert all(lines[problem.line - 1] == "<!--" for problem in problems)
    # Each comment sits right under its section's heading.
    assert all(lines[problem.line - 3].startswith("## ") for problem in problems)


@pytest.mark.seeds
def test_raw_integration_spec_template_has_a_guidance_comment_per_section(seeds: Path) -> None:
    problems = run_rule("template-guidance", seed_text(seeds, "004"))
    assert len(problems) == 13
    assert (problems[0].line, problems[0].column) == (29, 1)


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_filled_in_documents_pass(name: str) -> None:
    assert_findings("template-guidance", (FIXTURES / name).read_text(encoding="utf-8"), [])


def test_an_empty_marker_is_a_config_error(tmp_path: Path) -> None:
    error = config_error(tmp_path, "  template-guidance:\n    options:\n      markers: ['']\n")
    assert error.line == 4
    assert "an empty text would match everywhere" in error.message
