"""Remote documents and references: never fetched unless allowed, then within limits.

Every test talks to a server on 127.0.0.1 that records each connection it receives.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interlock.errors import InputError, UsageError
from interlock.research.openapi import load_openapi
from interlock.research.source import read_remote, shown_url

if TYPE_CHECKING:  # the fixtures' types; pytest itself imports the conftest
    from conftest import Listener, Run

needs_validator = pytest.mark.skipif(
    importlib.util.find_spec("openapi_spec_validator") is None,
    reason="openapi-spec-validator is not installed",
)

COMMON = b"""\
components:
  schemas:
    Error:
      type: object
      properties:
        message:
          type: string
          maxLength: 321
"""


def _api_with_remote_ref(url: str) -> str:
    return f"""\
openapi: 3.0.3
info: {{title: Remote Refs, version: '1'}}
paths:
  /things:
    post:
      summary: Make a thing
      requestBody:
        content:
          application/json:
            schema:
              $ref: '{url}'
      responses:
        '200': {{description: ok}}
        '400': {{description: bad}}
"""


@pytest.fixture
def api(tmp_path: Path, listener: Listener) -> Path:
    listener.files["/common.yaml"] = COMMON
    path = tmp_path / "api.yaml"
    reference = listener.url("common.yaml") + "#/components/schemas/Error"
    path.write_text(_api_with_remote_ref(reference), encoding="utf-8")
    return path


@needs_validator
def test_a_remote_reference_is_never_fetched_without_allow_remote(
    api: Path, listener: Listener
) -> None:
    document = load_openapi(str(api))
    assert listener.connections == 0
    (item,) = document.unresolved
    assert item.reason == "remote; not fetched without --allow-remote"
    assert item.line == 11
    assert not document.fully_validated


@needs_validator
def test_the_note_lists_the_unfetched_reference(
    api: Path, listener: Listener, workspace: Path, run: Run
) -> None:
    result = run("research", "things", "--openapi", str(api))
    assert result.exit_code == 0, result.output
    assert listener.connections == 0
    note = (workspace / "specs" / "things" / "research.md").read_text(encoding="utf-8")
    assert "### Unresolved References" in note
    assert "not fetched without --allow-remote" in note
    assert "1 reference not followed" in result.output


@needs_validator
def test_allow_remote_fetches_and_resolves_the_reference(api: Path, listener: Listener) -> None:
    document = load_openapi(str(api), allow_remote=True)
    assert listener.requests == ["/common.yaml"]
    assert document.unresolved == ()
    assert document.fully_validated
    assert document.documents == 2


def test_a_remote_document_is_refused_without_allow_remote(
    listener: Listener, workspace: Path, run: Run
) -> None:
    listener.files["/api.yaml"] = b"openapi: 3.0.3\n"
    result = run("research", "things", "--openapi", listener.url("api.yaml"))
    assert result.exit_code == 2
    assert "refusing to fetch a remote document" in result.output
    assert "--allow-remote" in result.output
    assert listener.connections == 0
    assert not (workspace / "specs" / "things").exists()


@needs_validator
def test_a_remote_document_with_allow_remote(listener: Listener, workspace: Path, run: Run) -> None:
    listener.files["/v1/api.yaml"] = _api_with_remote_ref(
        "common.yaml#/components/schemas/Error"
    ).encode()
    listener.files["/v1/common.yaml"] = COMMON
    result = run("research", "things", "--openapi", listener.url("v1/api.yaml"), "--allow-remote")
    assert result.exit_code == 0, result.output
    assert listener.requests == ["/v1/api.yaml", "/v1/common.yaml"]
    note = (workspace / "specs" / "things" / "research.md").read_text(encoding="utf-8")
    assert "Error.message: at most 321 characters" in note


def test_a_slow_server_is_given_up_on(listener: Listener) -> None:
    # The server would answer after 3 s, so an error at all means the client gave up.
    listener.delay = 3
    with pytest.raises(InputError) as caught:
        read_remote(listener.url("api.yaml"), max_bytes=1024, timeout=0.3)
    assert "timed out" in caught.value.message or "no complete answer" in caught.value.message


def test_an_endless_body_is_cut_at_the_size_limit(listener: Listener) -> None:
    listener.endless = True
    with pytest.raises(InputError, match="too large"):
        read_remote(listener.url("api.yaml"), max_bytes=256 * 1024, timeout=5)


def test_an_announced_body_over_the_limit_is_refused_before_reading(listener: Listener) -> None:
    listener.files["/api.yaml"] = b"#" * (2 * 1024 * 1024)
    with pytest.raises(InputError) as caught:
        read_remote(listener.url("api.yaml"), max_bytes=1024 * 1024, timeout=5)
    assert "too large (2 MiB; the limit is 1 MiB)" in caught.value.message


def test_a_server_error_is_reported(listener: Listener) -> None:
    with pytest.raises(InputError, match="the server answered 404"):
        read_remote(listener.url("missing.yaml"), max_bytes=1024, timeout=5)


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(UsageError, match="only http and https"):
        read_remote("file:///etc/hostname", max_bytes=1024, timeout=5)


@needs_validator
def test_a_remote_document_cannot_make_us_read_local_files(
    listener: Listener, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Secret: {type: string, maxLength: 7}\n", encoding="utf-8")
    listener.files["/api.yaml"] = _api_with_remote_ref(f"{secret.as_uri()}#/Secret").encode()
    document = load_openapi(listener.url("api.yaml"), allow_remote=True)
    (item,) = document.unresolved
    assert item.reason == "a local file named by a remote document; never read"


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("file:///etc/hostname", "is not allowed"),
        ("ftp://127.0.0.1/api.yaml", "redirected to 'ftp://127.0.0.1/api.yaml', which is not http"),
    ],
    ids=["file", "ftp"],
)
def test_a_redirect_may_lead_only_to_http(listener: Listener, location: str, words: str) -> None:
    listener.redirects["/api.yaml"] = location
    with pytest.raises(InputError, match=words):
        read_remote(listener.url("api.yaml"), max_bytes=1024, timeout=5)


def test_a_redirect_to_http_is_followed(listener: Listener) -> None:
    listener.redirects["/old.yaml"] = "/new.yaml"
    listener.files["/new.yaml"] = b"openapi: 3.0.3\n"
    source = read_remote(listener.url("old.yaml"), max_bytes=1024, timeout=5)
    assert listener.requests == ["/old.yaml", "/new.yaml"]
    assert (source.name, source.text) == ("new.yaml", "openapi: 3.0.3\n")


def test_urls_are_shown_without_credentials_or_query() -> None:
    assert shown_url("https://me:s3cret@api.example.com:8443/v1/api.yaml?token=abc#x") == (
        "https://api.example.com:8443/v1/api.yaml"
    )
