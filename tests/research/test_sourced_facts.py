"""Facts read from documents shaped like Stripe's and GitHub's, each with its source.

The documents are small and synthetic, with the shapes the vendors document: Stripe's
secret key as the HTTP basic user name, cursor lists with ``has_more``, the
``Stripe-Version`` and ``Idempotency-Key`` headers, ``anyOf`` fields; GitHub's
``X-GitHub-Api-Version`` header and ``Link`` header pagination with ``page`` and
``per_page``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from interlock.research.extract import extract_research
from interlock.research.facts import Research
from interlock.research.notes import render_note
from interlock.research.openapi import load_openapi
from interlock.research.security import auth_kind, describe_scheme

pytest.importorskip("openapi_spec_validator")

_OK = {"description": "OK"}


def _list_of(item: str) -> dict[str, Any]:
    return {
        "description": "A page of the list",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "object": {"type": "string", "enum": ["list"]},
                        "data": {
                            "type": "array",
                            "items": {"$ref": f"#/components/schemas/{item}"},
                        },
                        "has_more": {"type": "boolean"},
                        "url": {"type": "string"},
                    },
                }
            }
        },
    }


def _cursor_parameters() -> list[dict[str, Any]]:
    return [
        {"$ref": "#/components/parameters/StripeVersion"},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
        {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
        {"name": "ending_before", "in": "query", "schema": {"type": "string"}},
    ]


STRIPE: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {
        "title": "Stripe API",
        "version": "2024-06-20",
        "description": "<p>The <b>Stripe</b> REST API. See <a href='https://docs.stripe.com'>"
        "the docs</a>.</p>",
    },
    "servers": [{"url": "https://api.stripe.com"}],
    "security": [{"basicAuth": []}, {"bearerAuth": []}],
    "components": {
        "securitySchemes": {
            "basicAuth": {
                "type": "http",
                "scheme": "basic",
                "description": "Your secret API key is sent as the basic-auth user name, "
                "with no password.",
            },
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "auth-scheme"},
        },
        "parameters": {
            "StripeVersion": {
                "name": "Stripe-Version",
                "in": "header",
                "schema": {"type": "string", "default": "2024-06-20"},
            },
            "IdempotencyKey": {
                "name": "Idempotency-Key",
                "in": "header",
                "schema": {"type": "string", "maxLength": 255},
            },
        },
        "schemas": {
            "charge": {"type": "object", "properties": {"id": {"type": "string"}}},
            "customer": {"type": "object", "properties": {"id": {"type": "string"}}},
        },
    },
    "paths": {
        "/v1/charges": {
            "get": {
                "summary": "List all charges",
                "parameters": _cursor_parameters(),
                "responses": {"200": _list_of("charge")},
            },
            "post": {
                "summary": "<h1>Create a charge</h1>",
                "description": "<p>Create a <a href='https://x.example'>charge</a>.</p>",
                "parameters": [
                    {"$ref": "#/components/parameters/StripeVersion"},
                    {"$ref": "#/components/parameters/IdempotencyKey"},
                ],
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "metadata": {
                                        "anyOf": [
                                            {
                                                "type": "object",
                                                "additionalProperties": {"type": "string"},
                                            },
                                            {"type": "object", "maxProperties": 0},
                                            {"type": "string", "enum": [""]},
                                        ]
                                    },
                                    "expand": {
                                        "anyOf": [
                                            {"type": "array", "maxItems": 0},
                                            {"type": "array", "maxItems": 20},
                                        ]
                                    },
                                    "tags": {
                                        "oneOf": [
                                            {"type": "array", "maxItems": 10},
                                            {"type": "string", "maxLength": 40},
                                        ]
                                    },
                                },
                            }
                        }
                    }
                },
                "responses": {"200": _OK},
            },
        },
        "/v1/customers": {
            "get": {
                "summary": "List all customers",
                "parameters": _cursor_parameters(),
                "responses": {"200": _list_of("customer")},
            },
        },
        "/v1/customers/search": {
            "get": {
                "summary": "Search customers",
                "parameters": [
                    {
                        "name": "query",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": _OK},
            },
        },
    },
}

_LINK_HEADER = {"Link": {"schema": {"type": "string"}}}

GITHUB: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "GitHub v3 REST API", "version": "1.1.4"},
    "servers": [{"url": "https://api.github.com"}],
    "components": {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://github.com/login/oauth/authorize",
                        "tokenUrl": "https://github.com/login/oauth/access_token",
                        "scopes": {"repo": "Full control of private repositories", "user": ""},
                    }
                },
            }
        },
        "parameters": {
            "api-version": {
                "name": "X-GitHub-Api-Version",
                "in": "header",
                "schema": {"type": "string", "enum": ["2022-11-28"], "default": "2022-11-28"},
            },
            "per-page": {
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "default": 30, "maximum": 100},
            },
            "page": {"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}},
        },
    },
    "security": [{"oauth": ["repo"]}],
    "paths": {
        "/repos/{owner}/{repo}/issues": {
            "get": {
                "summary": "List repository issues",
                "parameters": [
                    {"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "repo", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/api-version"},
                    {"$ref": "#/components/parameters/per-page"},
                    {"$ref": "#/components/parameters/page"},
                ],
                "responses": {"200": {"description": "OK", "headers": _LINK_HEADER}},
            }
        },
        "/user/repos": {
            "get": {
                "summary": "List repositories for the authenticated user",
                "parameters": [
                    {"$ref": "#/components/parameters/api-version"},
                    {"$ref": "#/components/parameters/per-page"},
                    {"$ref": "#/components/parameters/page"},
                ],
                "responses": {"200": {"description": "OK", "headers": _LINK_HEADER}},
            }
        },
        "/orgs/{org}/audit-log": {
            "get": {
                "summary": "Get the audit log",
                "parameters": [
                    {"name": "org", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/api-version"},
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                    {"name": "before", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "OK", "headers": _LINK_HEADER}},
            }
        },
    },
}


def research_of(document: dict[str, Any], tmp_path: Path) -> Research:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return extract_research(load_openapi(str(path)), source="openapi.json")


@pytest.fixture
def stripe(tmp_path: Path) -> Research:
    return research_of(STRIPE, tmp_path)


@pytest.fixture
def github(tmp_path: Path) -> Research:
    return research_of(GITHUB, tmp_path)


def texts(research: Research, topic: str) -> list[str]:
    constraint = research.constraint(topic)
    assert constraint is not None, f"no {topic} constraint"
    return [detail.text for detail in constraint.details]


def test_a_secret_key_as_basic_user_name_is_an_api_key(stripe: Research) -> None:
    basic = next(scheme for scheme in stripe.auth if scheme.key == "basicAuth")
    assert describe_scheme(basic) == "secret API key sent as the HTTP basic user name"
    assert basic.source == "#/components/securitySchemes/basicAuth"
    note = render_note(stripe)
    assert (
        "**basicAuth**: secret API key sent as the HTTP basic user name "
        "(source: `#/components/securitySchemes/basicAuth`)" in note
    )
    assert "User name and password" not in note
    assert auth_kind(basic) == "api-key", "the interview is offered an API key, not basic"


def test_plain_basic_is_user_name_and_password(tmp_path: Path) -> None:
    document = json.loads(json.dumps(STRIPE))
    del document["components"]["securitySchemes"]["basicAuth"]["description"]
    basic = research_of(document, tmp_path).auth[0]
    assert describe_scheme(basic) == "HTTP basic authentication (user name and password)"


def test_a_page_token_is_a_cursor_and_only_a_number_is_a_page_number(
    stripe: Research, tmp_path: Path
) -> None:
    paging = texts(stripe, "pagination")
    # Stripe's searches take ``page`` as the opaque next_page of the last answer.
    assert paging[0] == "Pagination style: cursor on 3 operations."
    assert paging[1] == (
        "Cursor: GET /v1/charges, GET /v1/customers, GET /v1/customers/search; the page is "
        "chosen by starting_after (2 of them), ending_before (2 of them), page (1 of them); "
        "page size limit (at most 100); limit; the response carries has_more (2 of them)."
    )
    assert "cursor, page number" not in render_note(stripe)
    charges = next(op for op in stripe.operations if op.label == "GET /v1/charges")
    assert charges.paging is not None
    assert charges.paging.source == "#/paths/~1v1~1charges/get/parameters/2"

    numbered = json.loads(json.dumps(STRIPE))
    search = numbered["paths"]["/v1/customers/search"]["get"]
    search["parameters"][1]["schema"] = {"type": "integer", "minimum": 1}
    paging = texts(research_of(numbered, tmp_path), "pagination")
    assert paging[0] == "Pagination styles: cursor on 2 operations, page number on 1 operation."
    assert paging[2].startswith(
        "Page number: GET /v1/customers/search; the page is chosen by page;"
    )


def test_the_version_header_and_the_idempotency_key(stripe: Research) -> None:
    versioning = stripe.constraint("versioning")
    assert versioning is not None
    assert [detail.text for detail in versioning.details] == [
        "The document describes version 2024-06-20.",
        "Stripe-Version header (optional; default 2024-06-20) on 3 of 4 operations.",
        "Every path starts with the version /v1/.",
    ]
    assert versioning.details[1].sources == ("#/paths/~1v1~1charges/get/parameters/0",)
    assert "a request chooses its version with the Stripe-Version header" in versioning.summary
    assert texts(stripe, "idempotency") == [
        "Idempotency-Key header (optional) on POST /v1/charges."
    ]


def test_union_branches_are_not_limits_of_the_field(stripe: Research) -> None:
    sizes = texts(stripe, "size-limits")
    assert not any("at most 0" in line for line in sizes)
    assert "POST /v1/charges body.expand: at most 20 items" not in sizes  # one branch has 0
    assert "POST /v1/charges body.tags: at most 10 items" in sizes  # the only array branch
    assert "POST /v1/charges body.tags: at most 40 characters" in sizes
    assert "at most 0" not in render_note(stripe)


def test_html_becomes_markdown_that_cannot_shape_the_note(stripe: Research) -> None:
    assert (
        stripe.system.description
        == "The **Stripe** REST API. See [the docs](https://docs.stripe.com)."
    )
    post = next(op for op in stripe.operations if op.label == "POST /v1/charges")
    assert post.summary == "# Create a charge"
    note = render_note(stripe)
    assert "<h1>" not in note and "<a " not in note and "<p>" not in note
    assert "| # Create a charge |" in note  # inside a table cell: no heading
    assert "\\[the docs\\](https://docs.stripe.com)" in note
    headings = [line for line in note.splitlines() if line.startswith("#")]
    assert not any("Create a charge" in heading for heading in headings)


def test_github_version_header_and_link_pagination(github: Research) -> None:
    versioning = texts(github, "versioning")
    assert (
        "X-GitHub-Api-Version header (optional; default 2022-11-28; one of 2022-11-28) "
        "on 3 of 3 operations." in versioning
    )
    paging = texts(github, "pagination")
    assert paging[0] == "Pagination styles: page number on 2 operations, cursor on 1 operation."
    assert paging[1] == (
        "Page number: GET /repos/{owner}/{repo}/issues, GET /user/repos; the page is chosen "
        "by page; page size per_page (at most 100, default 30); the response carries the "
        "Link header."
    )
    assert paging[2].startswith("Cursor: GET /orgs/{org}/audit-log; the page is chosen by after")
    issues = github.operations[0]
    assert issues.paging is not None and issues.paging.source.endswith("/parameters/4")


def test_only_a_link_header_is_a_style_of_its_own(tmp_path: Path) -> None:
    document = json.loads(json.dumps(GITHUB))
    del document["paths"]["/orgs/{org}/audit-log"]
    for item in document["paths"].values():
        item["get"]["parameters"] = [
            p for p in item["get"]["parameters"] if p.get("$ref") != "#/components/parameters/page"
        ]
    paging = texts(research_of(document, tmp_path), "pagination")
    assert paging[0] == "Pagination style: Link header on 2 operations."


def test_oauth_scopes_are_listed_with_short_descriptions(github: Research) -> None:
    (flow,) = github.auth[0].flows
    assert flow.scopes == (("repo", "Full control of private repositories"), ("user", ""))
    note = render_note(github)
    assert "2 scopes: `repo` (Full control of private repositories), `user`." in note


def test_every_source_in_the_note_points_into_the_document(stripe: Research) -> None:
    note = render_note(stripe)
    pointers = re.findall(r"\(sources?: `(#/[^`]*)`", note)
    assert pointers
    for pointer in pointers:
        node: Any = STRIPE
        for token in pointer[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
