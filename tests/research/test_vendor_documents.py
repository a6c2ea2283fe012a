"""Facts read from real vendor documents, when they are on this machine.

The documents are large and not ours to commit: put them in the folder named by
``INTERLOCK_VENDOR_DOCS`` (default ``/tmp/vendors``) as ``github.json`` (GitHub's REST
API description) and ``twilio-api-v2010.json`` (Twilio's 2010-04-01 API). A missing
document skips its test.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from interlock.research.extract import extract_research
from interlock.research.facts import Research
from interlock.research.openapi import load_openapi
from interlock.research.security import describe_scheme

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


def test_github_extraction_is_fast(github: Research) -> None:
    document = load_openapi(str(VENDORS / "github.json"), max_bytes=30 * 2**20)
    started = time.perf_counter()
    extract_research(document)
    assert time.perf_counter() - started < 2.0  # about 0.3 s on a laptop


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
