"""Loading OpenAPI documents: versions, references, and every way a document is refused."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from interlock.errors import InputError, UsageError
from interlock.research import conformance
from interlock.research.openapi import load_openapi
from interlock.research.references import BUNDLE_KEY
from interlock.research.source import read_local

FIXTURES = Path(__file__).parent / "fixtures"

needs_validator = pytest.mark.skipif(
    importlib.util.find_spec("openapi_spec_validator") is None,
    reason="openapi-spec-validator is not installed",
)


@needs_validator
@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("petstore-3.0.yaml", "OpenAPI 3.0.3"),
        ("petstore-2.0.json", "Swagger 2.0"),
        ("payments-3.1.yaml", "OpenAPI 3.1.0"),
    ],
    ids=["openapi-3.0-yaml", "swagger-2.0-json", "openapi-3.1-yaml"],
)
def test_each_supported_version_loads_and_is_fully_validated(name: str, label: str) -> None:
    document = load_openapi(str(FIXTURES / name))
    assert document.label == label
    assert document.fully_validated
    assert document.unresolved == ()


@needs_validator
def test_recursive_schemas_load_without_looping() -> None:
    document = load_openapi(str(FIXTURES / "recursive.yaml"))  # a loop would never return
    tree = document.resolver.deref({"$ref": "#/components/schemas/TreeNode"})
    child = tree["properties"]["children"]["items"]
    assert document.resolver.deref(child) is tree


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("invalid-yaml.yaml", 8, "invalid YAML"),
        ("not-openapi.json", 1, "not an OpenAPI document"),
    ],
    ids=["yaml-syntax", "json-not-openapi"],
)
def test_a_document_that_cannot_be_read_is_refused_with_its_line(
    name: str, line: int, words: str
) -> None:
    path = FIXTURES / name
    with pytest.raises(InputError) as caught:
        load_openapi(str(path))
    assert caught.value.path == path
    assert caught.value.line == line
    assert words in caught.value.message


@needs_validator
@pytest.mark.parametrize(
    ("name", "pointer", "line", "words"),
    [
        ("dangling-ref.yaml", "/paths/~1a/get/responses/200/$ref", 10, "points to nothing"),
        (
            "ref-loop.yaml",
            "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            14,
            "loop of references",
        ),
    ],
    ids=["dangling-ref", "ref-loop"],
)
def test_a_broken_reference_is_a_warning_and_refused_when_strict(
    name: str, pointer: str, line: int, words: str
) -> None:
    path = FIXTURES / name
    document = load_openapi(str(path))
    first = document.warnings[0]
    assert (first.document, first.pointer, first.line) == (str(path), pointer, line)
    assert words in first.message
    assert any(words in item.reason for item in document.unresolved)
    assert not document.fully_validated
    with pytest.raises(InputError) as caught:
        load_openapi(str(path), strict=True)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert f"at {pointer}: " in caught.value.message


def test_a_yaml_syntax_error_names_its_column() -> None:
    with pytest.raises(InputError) as caught:
        load_openapi(str(FIXTURES / "invalid-yaml.yaml"))
    assert caught.value.column == 16


@needs_validator
def test_an_invalid_document_warns_naming_the_field_its_line_and_the_allowed_values() -> None:
    document = load_openapi(str(FIXTURES / "invalid-openapi.yaml"))
    (warning,) = document.warnings
    assert warning.line == 10
    assert warning.pointer == "/paths/~1search/get/parameters/0/in"
    assert warning.message == "must be one of path, query, header, cookie"
    assert document.warnings_total == 1


@needs_validator
def test_strict_refuses_an_invalid_document_at_the_first_problem() -> None:
    with pytest.raises(InputError) as caught:
        load_openapi(str(FIXTURES / "invalid-openapi.yaml"), strict=True)
    error = caught.value
    assert error.line == 10
    assert "invalid OpenAPI 3.0 at /paths/~1search/get/parameters/0/in" in error.message
    assert "must be one of path, query, header, cookie" in error.message
    assert "--strict" in error.hint


def test_json_syntax_errors_give_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text('{\n  "openapi": "3.0.3",\n  "info": {"title": "x",}\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_openapi(str(path))
    assert (caught.value.line, caught.value.column) == (3, 25)
    assert caught.value.message.startswith("invalid JSON")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_openapi(str(tmp_path / "nowhere.yaml"))
    assert caught.value.message == "no such file"
    assert caught.value.path == tmp_path / "nowhere.yaml"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "openapi: 4.0.0\ninfo: {title: x, version: '1'}\n",
            "unsupported version openapi: '4.0.0'",
        ),
        ("swagger: '1.2'\ninfo: {title: x, version: '1'}\n", "unsupported version swagger: '1.2'"),
        ("openapi: 3.0\ninfo: {title: x, version: '1'}\n", "version must be text"),
        ("- a list\n- not a mapping\n", "expected a mapping, found a list"),
        ("", "expected a mapping, found nothing"),
    ],
    ids=["openapi-4", "swagger-1.2", "version-as-number", "a-list", "empty"],
)
def test_documents_that_are_not_a_known_openapi_are_refused(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words):
        load_openapi(str(path))


def _write_big_document(path: Path, megabytes: int) -> None:
    """Write a syntactically valid OpenAPI document of about ``megabytes`` MiB."""
    line = "      - {name: filler, in: query, description: '" + "x" * 100 + "'}\n"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("openapi: 3.0.3\ninfo: {title: Big, version: '1'}\npaths:\n  /a:\n    get:\n")
        stream.write("      parameters:\n")
        written = 0
        while written < megabytes * 1024 * 1024:
            stream.write(line)
            written += len(line)


def test_a_20_mb_document_is_refused_before_a_byte_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    _write_big_document(path, 20)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the document was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(InputError) as caught:
        load_openapi(str(path))
    assert "too large (20 MiB; the limit is 10 MiB)" in caught.value.message
    assert "--max-size" in caught.value.hint


def test_a_raised_limit_lets_a_large_document_be_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    _write_big_document(path, 20)
    source = read_local(path, max_bytes=25 * 1024 * 1024)
    assert len(source.text) > 20 * 1024 * 1024


def test_a_device_that_never_ends_is_not_read() -> None:
    with pytest.raises(InputError, match="not a regular file"):
        load_openapi("/dev/zero")


def test_a_url_is_refused_without_allow_remote() -> None:
    with pytest.raises(UsageError) as caught:
        load_openapi("https://api.example.com/openapi.yaml")
    assert "refusing to fetch" in caught.value.message
    assert "--allow-remote" in caught.value.hint


@needs_validator
def test_local_files_a_reference_names_are_bundled(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "error.yaml").write_text(
        "Error:\n  type: object\n  properties:\n    code: {$ref: '#/Code'}\nCode: {type: string, maxLength: 9}\n",
        encoding="utf-8",
    )
    api = {
        "openapi": "3.0.3",
        "info": {"title": "Split", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "400": {
                            "description": "bad",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "schemas/error.yaml#/Error"}
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    path = tmp_path / "api.json"
    path.write_text(json.dumps(api), encoding="utf-8")
    document = load_openapi(str(path))
    assert document.documents == 2
    assert document.unresolved == ()
    schema = document.data["paths"]["/a"]["get"]["responses"]["400"]["content"]["application/json"][
        "schema"
    ]
    assert schema["$ref"] == f"#/{BUNDLE_KEY}/1/Error"
    code = document.resolver.deref(document.resolver.deref(schema)["properties"]["code"])
    assert code == {"type": "string", "maxLength": 9}


@needs_validator
@pytest.mark.parametrize(
    "reference",
    [
        "../outside/secret.yaml",
        "{outside}/secret.yaml",
        "file://{outside}/secret.yaml",
        "link.yaml",
    ],
    ids=["parent-folder", "absolute-path", "file-url", "symlink-out"],
)
def test_a_reference_never_reads_a_file_outside_the_documents_folder(
    tmp_path: Path, reference: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("Key: {description: PRIVATE-KEY-BODY}\n", encoding="utf-8")
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    (vendor / "link.yaml").symlink_to(outside / "secret.yaml")
    ref = reference.format(outside=outside) + "#/Key"
    path = vendor / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n"
        f"components:\n  schemas:\n    Leak:\n      $ref: '{ref}'\n",
        encoding="utf-8",
    )
    document = load_openapi(str(path))
    (item,) = document.unresolved
    assert item.ref == ref
    assert item.reason == "outside the document's folder; never read (see --references)"
    assert "PRIVATE-KEY-BODY" not in json.dumps(document.data)


@needs_validator
def test_a_folder_named_with_references_may_be_read_and_no_other(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "schemas.yaml").write_text("Key: {type: string, maxLength: 9}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text("Key: {description: PRIVATE-KEY-BODY}\n")
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    path = vendor / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Shared:\n      $ref: '../shared/schemas.yaml#/Key'\n"
        "    Leak:\n      $ref: '../elsewhere/secret.yaml#/Key'\n",
        encoding="utf-8",
    )
    refused = load_openapi(str(path))
    assert sorted(item.ref for item in refused.unresolved) == [
        "../elsewhere/secret.yaml#/Key",
        "../shared/schemas.yaml#/Key",
    ]
    document = load_openapi(str(path), references=shared)
    assert [item.ref for item in document.unresolved] == ["../elsewhere/secret.yaml#/Key"]
    assert "maxLength" in json.dumps(document.data)
    assert "PRIVATE-KEY-BODY" not in json.dumps(document.data)


@needs_validator
@pytest.mark.parametrize(
    "content",
    [
        "Thing: SECRET-BODY is not a schema [1,2\n",
        "Thing:\n  type: SECRET-BODY\n",
        "Thing:\n  type: object\n  required: SECRET-BODY\n",
        "Thing:\n  type: string\n  maxLength: SECRET-BODY\n",
        "Thing:\n  type: object\n  properties: SECRET-BODY\n",
        "Thing:\n  oneOf: SECRET-BODY\n",
        "Thing: ['SECRET-BODY', {a: b}]\n",
    ],
    ids=["text", "type", "required", "bound", "properties", "one-of", "list"],
)
def test_an_error_never_quotes_a_referenced_files_content(tmp_path: Path, content: str) -> None:
    (tmp_path / "other.yaml").write_text(content, encoding="utf-8")
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: 'other.yaml#/Thing'}\n",
        encoding="utf-8",
    )
    document = load_openapi(str(path))
    assert document.warnings
    assert all(warning.document == str(tmp_path / "other.yaml") for warning in document.warnings)
    assert "SECRET" not in " ".join(str(warning) for warning in document.warnings)
    with pytest.raises(InputError) as caught:
        load_openapi(str(path), strict=True)
    error = caught.value
    assert "invalid OpenAPI 3.0" in error.message
    assert "SECRET" not in f"{error} {error.hint}"


def test_a_missing_referenced_file_is_reported_as_unresolved(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    $ref: 'paths/a.yaml'\n",
        encoding="utf-8",
    )
    if importlib.util.find_spec("openapi_spec_validator") is None:
        pytest.skip("openapi-spec-validator is not installed")
    document = load_openapi(str(path))
    (item,) = document.unresolved
    assert item.ref == "paths/a.yaml"
    assert item.reason == "no such file"
    assert item.line == 5
    assert not document.fully_validated


def test_without_the_package_of_the_schemas_the_user_is_told_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conformance._validator.cache_clear()
    monkeypatch.setitem(sys.modules, "openapi_spec_validator", None)
    with pytest.raises(UsageError) as caught:
        load_openapi(str(FIXTURES / "petstore-3.0.yaml"))
    conformance._validator.cache_clear()
    assert "needs the openapi-spec-validator package" in caught.value.message
    assert "pip install" in caught.value.hint
