"""Benchmark ``interlock research`` on generated OpenAPI documents of growing size.

Generates OpenAPI 3.0 documents of 100, 1,000 and 5,000 operations (seeded, so every
run writes the same documents) with the shapes of a vendor's: servers, tags, security
schemes, path and query parameters, request bodies, component schemas that refer to
one another, paged list responses, 429 answers with rate-limit headers, and
descriptions with some HTML. Each is written as JSON and as YAML, and the real command,
``interlock research NAME --openapi FILE``, runs on it as a whole process in a fresh
workspace. The script prints wall time and peak memory per size and format, and the
time per operation, so that growth is seen to be linear; and the targets (1 s for 100
operations; 5 s and 150 MB for a vendor's document).

Run: ``.venv/bin/python benchmarks/research_documents.py [--sizes 100,1000,5000]
[--document PATH ...] [--keep]``. ``--document`` measures a given file as well (a
vendor's document, for example). The script exits 2 when the command fails, else 0.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from corpus_measure import Measured, interlock_command, run_measured

TARGET_SMALL_SECONDS = 1.0
TARGET_SECONDS = 5.0
TARGET_PEAK_MB = 150
_RESOURCES = ("account", "invoice", "customer", "payment", "refund", "order", "product", "plan")
_METHODS = ("get", "post", "patch", "delete")


def build_document(operations: int, *, seed: int = 7) -> dict[str, Any]:
    """Return an OpenAPI 3.0 document with ``operations`` operations."""
    chance = random.Random(seed)
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["code"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    }
    paths: dict[str, Any] = {}
    for number in range(0, operations, len(_METHODS)):
        resource = f"{_RESOURCES[number % len(_RESOURCES)]}{number // len(_METHODS)}"
        schemas[resource] = _schema(resource, chance)
        item: dict[str, Any] = {}
        for method in _METHODS[: operations - number]:
            item[method] = _operation(resource, method, chance)
        paths[f"/v1/{resource}s/{{id}}"] = item
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Generated API",
            "version": "2024-06-01",
            "description": "<p>The <b>generated</b> API.</p><p>Requests are limited to "
            "100 per second; see <a href='https://example.com/limits'>limits</a>.</p>",
        },
        "servers": [
            {"url": "https://api.example.com", "description": "Production"},
            {"url": "https://sandbox.example.com", "description": "Sandbox"},
        ],
        "tags": [{"name": name, "description": f"<em>{name}</em> calls"} for name in _RESOURCES],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            },
            "parameters": {
                "id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            },
        },
    }


def _schema(resource: str, chance: random.Random) -> dict[str, Any]:
    properties: dict[str, Any] = {"id": {"type": "string", "maxLength": 64}}
    for field in range(chance.randint(4, 12)):
        properties[f"field_{field}"] = chance.choice(
            [
                {"type": "string", "description": "A <code>text</code> field.", "maxLength": 255},
                {"type": "integer", "minimum": 0, "maximum": 1000},
                {"type": "array", "items": {"$ref": "#/components/schemas/Error"}, "maxItems": 50},
                {"type": "boolean", "default": False},
            ]
        )
    return {"type": "object", "description": f"A {resource}.", "properties": properties}


def _operation(resource: str, method: str, chance: random.Random) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{resource}"}
    operation: dict[str, Any] = {
        "operationId": f"{method}_{resource}",
        "summary": f"{method.upper()} a {resource}",
        "description": f"<p>Does {method} on a <b>{resource}</b>.</p>" * chance.randint(1, 3),
        "tags": [resource.rstrip("0123456789")],
        "parameters": [
            {"$ref": "#/components/parameters/id"},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
            {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": ref}}},
            "429": {
                "description": "Too many requests",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            },
            "default": {
                "description": "Error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    }
    if method in ("post", "patch"):
        operation["requestBody"] = {"content": {"application/json": {"schema": ref}}}
        operation["parameters"].append(
            {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
        )
    return operation


class _NoAliases(yaml.CSafeDumper):
    """Writes shared values out in full: research refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _measure(document: Path, folder: Path) -> Measured:
    workspace = folder / f"workspace-{document.stem}-{document.suffix.lstrip('.')}"
    workspace.mkdir()
    subprocess.run([*interlock_command(), "init"], cwd=workspace, check=True, capture_output=True)
    return run_measured(
        ["research", "bench", "--openapi", str(document), "--max-size", "60"], cwd=workspace
    )


def _row(label: str, operations: int | None, measured: Measured) -> str:
    peak = (measured.tree_peak_bytes or measured.own_peak_bytes or 0) / 2**20
    per = f"{measured.seconds / operations * 1000:6.2f} ms/op" if operations else " " * 12
    return f"{label:34s} {measured.seconds:7.2f} s {peak:7.0f} MB  {per}"


def main() -> int:
    """Generate the documents, run research on each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--document", type=Path, action="append", default=[])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="interlock-research-bench-"))
    failed = False
    print(f"{'document':34s} {'wall':>9s} {'peak':>8s}  {'per operation':>12s}")
    try:
        for size in (int(text) for text in options.sizes.split(",")):
            data = build_document(size)
            for suffix in ("json", "yaml"):
                path = folder / f"generated-{size}.{suffix}"
                text = (
                    json.dumps(data, indent=2)
                    if suffix == "json"
                    else yaml.dump(data, Dumper=_NoAliases, sort_keys=False)
                )
                path.write_text(text, encoding="utf-8")
                measured = _measure(path, folder)
                failed |= measured.exit_code != 0
                print(_row(f"{size} operations, {suffix} ({len(text) >> 10} KB)", size, measured))
                if measured.exit_code:
                    print(measured.stderr.strip().splitlines()[-1], file=sys.stderr)
        for document in options.document:
            measured = _measure(document.resolve(), folder)
            failed |= measured.exit_code != 0
            print(_row(document.name, None, measured))
            if measured.exit_code:
                print(measured.stderr.strip().splitlines()[-1], file=sys.stderr)
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(
        f"targets: {TARGET_SMALL_SECONDS:g} s for 100 operations; "
        f"{TARGET_SECONDS:g} s and {TARGET_PEAK_MB} MB for a vendor's document"
    )
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
