"""A section the document's kind requires is missing.

Each kind of document has the sections its readers look for:

- an integration specification: the sections of the integration spec template, from
  "Overview and Context" to "Change History";
- an Integration Points document: from "Overview" to "Next Steps";
- an interview summary: its 14 numbered sections, from "External Dependencies" to
  "Next Steps";
- the workflow notes, by file name: ``research.md`` needs "External System", "Key
  Endpoints/Features" and "Constraints", ``plan.md`` needs "Success Criteria" and
  ``outcome.md`` only a heading, such as ``## Integration: Payment API``.

Other specs and plain Markdown need nothing. Titles are compared without case, extra
spaces, trailing punctuation, emphasis or a leading number such as ``12.``; ``&`` reads
as "and" and spaces around ``/`` do not matter. A heading of any level counts, but a
heading inside a code block is not a section. Each missing section is one finding, at
the document's top heading.

The ``sections`` option maps a document kind, or a workflow note's file name, to its
required titles. A team's mapping in its config replaces this one as a whole, so it
lists every kind it wants checked. A kind listed with no titles must still have a
heading.

Fails, in ``plan.md``::

    # Plan

    ## Approach

    Wrap the payment API in a client module.

Passes, in ``plan.md``::

    # Plan

    ## Success Criteria

    - [ ] Can authenticate with OAuth client credentials
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, normalise_title
from interlock.model.finding import Problem, Severity

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
FIX = "add the missing section with its content, or state in it that it does not apply"
KINDS = None
SCOPE = "document"

_NUMBER = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")
_SLASH = re.compile(r"\s*/\s*")


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    required: Mapping[str, list[str]] = options["sections"]
    key = doc.path.name.lower() if doc.kind == DocumentKind.WORKFLOW_NOTE else str(doc.kind)
    titles = required.get(key)
    if titles is None:
        return
    headings = list(doc.walk_sections())
    if not titles:
        if not headings:
            yield Problem(doc.body_line, 1, f"the {_describe(key)} has no heading")
        return
    top = next((section.line for section in headings if section.level == 1), doc.body_line)
    # Most headings are written exactly as required, so the full comparison is only
    # needed for the titles a plain case-insensitive match misses.
    written = {section.title.casefold() for section in headings}
    missing = [title for title in titles if title.casefold() not in written]
    if missing:
        present = {_title_key(section.title) for section in headings}
        missing = [title for title in missing if _title_key(title) not in present]
    for title in missing:
        yield Problem(
            top,
            1,
            f"missing required section {title!r} for the {_describe(key)}",
            hint=f"add a '## {title}' section",
        )


def _describe(key: str) -> str:
    return key if key.endswith(".md") else f"{key} document"


def _title_key(title: str) -> str:
    """Fold a title for comparison, without its leading number, emphasis or slash spacing."""
    folded = normalise_title(_NUMBER.sub("", title.strip(" *_")))
    return _SLASH.sub("/", folded.strip(" *_"))
