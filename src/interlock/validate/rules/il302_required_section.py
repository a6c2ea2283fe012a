"""A section the document's kind requires is missing or empty.

Each kind of document has the sections its readers look for:

- an integration specification: the sections of the integration spec template, from
  "Overview and Context" to "Change History";
- an Integration Points document: from "Overview" to "Next Steps";
- an interview summary: its 14 numbered sections, from "External Dependencies" to
  "Next Steps";
- the workflow notes, by file name: ``research.md`` (and each system's note in an
  integration's ``research/`` folder) needs "External System", "Key
  Endpoints/Features" and "Constraints", ``plan.md`` needs "Success Criteria" and
  ``outcome.md`` only a heading, such as ``## Integration: Payment API``.

Other specs and plain Markdown need nothing. Titles are compared without case, extra
spaces, trailing punctuation, emphasis or a leading number such as ``12.``; ``&`` reads
as "and" and spaces around ``/`` do not matter. A heading of any level counts, but a
heading inside a code block is not a section. Each missing section is one finding, at
the document's top heading.

A required section that is there but says nothing (no text of its own and no
subsection with content; HTML comments and tags do not count, as for
``empty-section``) is as good as missing: it is one finding at its heading, in place
of the ``empty-section`` finding any empty heading gets: an empty required section
counts as much as a missing one.

The ``sections`` option maps a document kind, or a workflow note's lower-case file
name, to its required titles; any other key is a configuration error. A team's
mapping in its config replaces this one as a whole, so it lists every kind it wants
checked. A kind listed with no titles must still have a heading.

Fails, in ``plan.md`` (no "Success Criteria" section)::

    # Plan

    ## Approach

    Wrap the payment API in a client module.

Fails, in ``plan.md`` (the section is there, with nothing in it)::

    # Plan

    ## Success Criteria

    <!-- list what must work before this is done -->

Passes, in ``plan.md``::

    # Plan

    ## Success Criteria

    - [ ] Can authenticate with OAuth client credentials
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Section, normalise_title
from interlock.documents.parser import workflow_note_name
from interlock.model.finding import Problem, Severity
from interlock.validate.rule import OptionProblem

ID = "IL302"
NAME = "required-section"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {
    "sections": {
        "integration-spec": [
            "Overview and Context",
            "Integration Goals and Success Criteria",
            "Third-Party System Information",
            "Integration Architecture",
            "Data Mapping and Transformation",
            "Integration Contracts",
            "Error Handling and Recovery",
            "Monitoring and Logging",
            "Security Considerations",
            "Testing Strategy",
            "Deployment and Operations",
            "Risks and Mitigation",
            "Implementation Notes",
            "Review and Approval",
            "Change History",
        ],
        "integration-points": [
            "Overview",
            "Integration Architecture",
            "External System Integrations",
            "Internal System Integrations",
            "Data Integration Patterns",
            "Message Formats and Protocols",
            "Integration Security",
            "Performance and Scalability",
            "Error Handling and Resilience",
            "Testing Strategy",
            "Deployment and Operations",
            "Validation Checklist",
            "Next Steps",
        ],
        "interview-summary": [
            "External Dependencies",
            "Internal Integrations",
            "API Integration Details",
            "Data Migration",
            "Backward Compatibility",
            "Deployment Strategy",
            "Rollback Procedures",
            "Testing Integrations",
            "Environment Configuration",
            "Monitoring Integration Health",
            "Dependency Risk Assessment",
            "Open Integration Questions",
            "Integration Checklist",
            "Next Steps",
        ],
        "research.md": ["External System", "Key Endpoints/Features", "Constraints"],
        "plan.md": ["Success Criteria"],
        "outcome.md": [],
    },
}
FIX = "write the section with its content, or state in it that it does not apply"
KINDS = None
SCOPE = "document"
COVERS = ("empty-section",)

_KEYS = frozenset(str(kind) for kind in DocumentKind if kind is not DocumentKind.WORKFLOW_NOTE)
"""The document kinds a mapping key may name; workflow notes are named by file."""
_NOTE = re.compile(r"[a-z0-9][a-z0-9._-]*\.md")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")
_SLASH = re.compile(r"\s*/\s*")


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report keys that name no document kind or note, and titles that are not text."""
    for key, titles in options["sections"].items():
        if not isinstance(key, str) or (key not in _KEYS and not _NOTE.fullmatch(key)):
            yield OptionProblem(
                "sections",
                f"{key!r} is neither a document kind nor a workflow note's file name",
                key,
                f"use one of {', '.join(sorted(_KEYS))}, or a lower-case file name "
                "such as 'plan.md'",
            )
        elif not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
            yield OptionProblem(
                "sections", f"the titles of {key!r} must be a list of headings", key
            )


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    required: Mapping[str, list[str]] = options["sections"]
    note = workflow_note_name(doc.path) if doc.kind == DocumentKind.WORKFLOW_NOTE else None
    key = note or str(doc.kind)
    titles = required.get(key)
    if titles is None:
        return
    headings = list(doc.walk_sections())
    if not titles:
        if not headings:
            yield Problem(doc.body_line, 1, f"the {_describe(key)} has no heading")
        return
    top = next((section.line for section in headings if section.level == 1), doc.body_line)
    # Most headings are written exactly as required and hold text, so the full
    # comparison is only made for a title that is missing or empty as written.
    first = {section.title.casefold(): section for section in reversed(headings)}
    folded: dict[str, list[Section]] = {}
    for title in titles:
        written = first.get(title.casefold())
        if written is not None and _says_something(written):
            continue
        if not folded:
            for section in headings:
                folded.setdefault(_title_key(section.title), []).append(section)
        found = folded.get(_title_key(title))
        if found is None:
            yield Problem(
                top,
                1,
                f"missing required section {title!r} for the {_describe(key)}",
                hint=f"add a '## {title}' section",
            )
        elif not any(map(_says_something, found)):
            yield Problem(
                found[0].line,
                1,
                f"required section {title!r} is empty",
                hint="write what the section asks for, or state in it that it does not apply",
            )


def _says_something(section: Section) -> bool:
    """Return whether the section or a subsection holds text (``Section.has_content``).

    ``isspace`` reads the text where ``strip`` would copy it, and a spec's sections hold
    kilobytes; this runs for every required section of every document.
    """
    text = section.own_text
    return (bool(text) and not text.isspace()) or any(map(_says_something, section.children))


def _describe(key: str) -> str:
    return key if key.endswith(".md") else f"{key} document"


def _title_key(title: str) -> str:
    """Fold a title for comparison, without its leading number, emphasis or slash spacing."""
    folded = normalise_title(_NUMBER.sub("", title.strip(" *_")))
    return _SLASH.sub("/", folded.strip(" *_"))
