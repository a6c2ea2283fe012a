from support.rule_checks import assert_findings


def test_heading_followed_by_heading_is_empty() -> None:
    text = "# Spec\n\nIntro.\n\n## Rollback Plan\n\n## Monitoring\n\nDashboards.\n"
    problems = assert_findings("empty-section", text, [(5, 1)])
    assert "Rollback Plan" in problems[0].message


def test_comment_only_section_is_empty() -> None:
    text = "# Spec\n\nIntro.\n\n## Goals\n\n<!-- PURPOSE: fill me -->\n"
    assert_findings("empty-section", text, [(5, 1)])


def test_section_with_content_in_subsection_only_passes() -> None:
    text = "# Spec\n\n## Contracts\n\n### Create order\n\n`POST /orders`\n"
    assert_findings("empty-section", text, [])


def test_heading_inside_code_block_is_not_a_section() -> None:
    text = "# Spec\n\nText.\n\n```\n# not a heading\n```\n"
    assert_findings("empty-section", text, [])
