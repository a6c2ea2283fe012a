"""Facts read from real vendor documents, when they are on this machine.

The documents are large and not ours to commit: put them in the folder named by
``INTERLOCK_VENDOR_DOCS`` (default ``/tmp/vendors``) as ``github.json`` (GitHub's REST
API description), ``twilio-api-v2010.json`` (Twilio's 2010-04-01 API) and
``stripe.json`` (Stripe's ``openapi/spec3.json``). A missing document skips its test.
How fast they are read is measured by ``benchmarks/research_documents.py --document``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interlock.research.extract import extract_research
from interlock.research.facts import Research
from interlock.research.notes import render_note
from interlock.research.openapi import load_openapi
from interlock.research.security import auth_kind, describe_scheme

pytest.importorskip("openapi_spec_validator")

VENDORS = Path(os.environ.get("INTERLOCK_VENDOR_DOCS", "/tmp/vendors"))


def _document(name: str, max_mib: int = 10) -> Research:
    path = VENDORS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: set INTERLOCK_VENDOR_DOCS to a folder holding {name}")
    return extract_research(load_openapi(str(path), max_bytes=max_mib * 2**20))


@pytest.fixture(scope="module")
def github() -> Research:
    return _document("github.json", max_mib=30)


@pytest.fixture(scope="module")
def twilio() -> Research:
    return _document("twilio-api-v2010.json")


@pytest.fixture(scope="module")
def stripe() -> Research:
    return _document("stripe.json")


def _texts(research: Research, topic: str) -> list[str]:
    constraint = research.constraint(topic)
    assert constraint is not None, f"no {topic} constraint"
    return [detail.text for detail in constraint.details]


def test_github_pages_by_page_number_and_link_header(github: Research) -> None:
    paging = _texts(github, "pagination")
    assert paging[0].startswith("Pagination styles: page number on ")
    page = next(line for line in paging if line.startswith("Page number:"))
    assert "the page is chosen by page" in page
    assert "page size per_page" in page
    assert "the Link header" in page
    assert "cursor, page number" not in " ".join(paging)


def test_github_versioning_and_rate_limit_headers(github: Research) -> None:
    versioning = _texts(github, "versioning")
    assert versioning[0] == f"The document describes version {github.system.version}."
    # The header is a fact only where the document declares it as a parameter.
    declares = any(
        p.name == "X-GitHub-Api-Version" for op in github.operations for p in op.parameters
    )
    assert any("X-GitHub-Api-Version" in line for line in versioning) == declares
    rates = " ".join(_texts(github, "rate-limits"))
    assert "X-RateLimit-Limit" in rates


def test_github_x_webhooks_are_read(github: Research) -> None:
    assert len(github.webhooks) > 100
    assert all(hook.source.startswith("#/x-webhooks/") for hook in github.webhooks)


def test_twilio_basic_carries_account_sid_and_auth_token(twilio: Research) -> None:
    (scheme,) = twilio.auth
    assert scheme.source == "#/components/securitySchemes/accountSid_authToken"
    assert describe_scheme(scheme) == (
        "HTTP basic with the account SID as user name and the auth token as password "
        "(as the scheme's name says)"
    )


def test_twilio_lists_page_by_token(twilio: Research) -> None:
    paging = _texts(twilio, "pagination")
    assert paging[0].startswith("Pagination style: cursor on ")
    assert "the page is chosen by PageToken, Page" in paging[1]
    assert "next_page_uri" in paging[1]
    assert "Every path starts with the version /2010-04-01/." in _texts(twilio, "versioning")


def test_stripe_basic_carries_the_api_key_as_user_name(stripe: Research) -> None:
    basic = next(scheme for scheme in stripe.auth if scheme.key == "basicAuth")
    assert describe_scheme(basic) == "API key sent as the HTTP basic user name"
    assert auth_kind(basic) == "api-key"
    # The placeholders of the description are text, not tags to drop.
    assert "Authorization: Basic <api_key>" in basic.description


def test_stripe_lists_and_searches_page_by_cursor(stripe: Research) -> None:
    paging = _texts(stripe, "pagination")
    assert paging[0].startswith("Pagination style: cursor on ")
    assert "starting_after" in paging[1] and "has_more" in paging[1]
    assert "page number" not in " ".join(paging).lower()
    assert "cursor, page number" not in render_note(stripe)
