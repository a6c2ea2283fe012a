import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.rule_checks import assert_findings, run_rule


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


@pytest.mark.parametrize(
    "heading",
    [
        '## <span id="x">Next</span>',
        '## Next <a name="n"></a>',
        "## <em>Next</em>",
        '## <a name="n"></a>',
        '<span id="x">Next</span>\n----',
        "<h2>Next</h2>",
        '## <img src="next.png" alt="Next">',
        "## `Next`",
        "## ![Next](next.png)",
        "## **Next**",
        "> ## Next",
        "- ## Next",
    ],
    ids=[
        "span",
        "trailing-anchor",
        "em-tag",
        "only-html",
        "setext",
        "html-block",
        "image-tag",
        "code",
        "image",
        "strong",
        "blockquote",
        "list-item",
    ],
)
def test_a_heading_written_with_html_or_markup_does_not_fill_the_section_before_it(
    heading: str,
) -> None:
    text = f"# Spec\n\nIntro.\n\n## Rollback Plan\n\n{heading}\n\nDashboards.\n"
    (problem,) = assert_findings("empty-section", text, [(5, 1)])
    assert problem.message == "section 'Rollback Plan' is empty"


def test_an_html_heading_right_under_the_heading_leaves_it_empty() -> None:
    text = "# Spec\n\nIntro.\n\n## Rollback Plan\n<h2>Monitoring</h2>\n\nDashboards.\n"
    assert_findings("empty-section", text, [(5, 1)])


def test_a_heading_of_html_only_is_reported_when_empty() -> None:
    text = '# Spec\n\nIntro.\n\n## <a name="plan"></a>\n\n## Monitoring\n\nDashboards.\n'
    (problem,) = assert_findings("empty-section", text, [(5, 1)])
    assert problem.message == "section '' is empty"


@pytest.mark.parametrize(
    "body",
    [
        '<a name="rollback"></a>',
        "<br>",
        "<div>\n<!-- PURPOSE: fill me -->\n</div>",
        "<div>&nbsp;</div>",
        '<p align="center"><img src="diagram.png"></p>',
        "&#8203;",
        "\u200b",
    ],
    ids=["anchor", "br", "comment-in-div", "nbsp", "image-without-alt", "zwsp-entity", "zwsp"],
)
def test_html_or_characters_that_show_nothing_are_no_content(body: str) -> None:
    text = f"# Spec\n\nIntro.\n\n## Rollback Plan\n\n{body}\n"
    assert_findings("empty-section", text, [(5, 1)])


@pytest.mark.parametrize(
    "body",
    [
        "<p>Not applicable: read-only.</p>",
        '<img src="rollback.png" alt="Rollback sequence">',
        "<details>\n<summary>Not applicable</summary>\n</details>",
        "<fill in>",
    ],
    ids=["paragraph", "image-alt", "details", "placeholder"],
)
def test_html_that_shows_text_is_content(body: str) -> None:
    text = f"# Spec\n\nIntro.\n\n## Rollback Plan\n\n{body}\n"
    assert_findings("empty-section", text, [])


_WRAPS = ['<span id="a">{}</span>', '{} <a name="a"></a>', "<em>{}</em>", "<b><i>{}</i></b>"]


@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.booleans(), st.sampled_from([*_WRAPS, "<h>"])),
        min_size=1,
        max_size=10,
    )
)
def test_wrapping_heading_text_in_html_tags_never_changes_the_findings(
    headings: list[tuple[int, bool, str]],
) -> None:
    def document(wrapped: bool) -> str:
        parts = []
        for number, (level, text, wrap) in enumerate(headings):
            title = f"Part {number}"
            if not wrapped:
                line = f"{'#' * level} {title}"
            elif wrap == "<h>":
                line = f"<h{level}>{title}</h{level}>"
            else:
                line = f"{'#' * level} {wrap.format(title)}"
            parts.append(f"{line}\n\n{'Some text.' if text else ''}\n\n")
        return "".join(parts)

    def findings(text: str) -> list[tuple[int, str]]:
        return [(p.line, p.message) for p in run_rule("empty-section", text)]

    assert findings(document(wrapped=True)) == findings(document(wrapped=False))
