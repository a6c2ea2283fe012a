"""Read the facts of a loaded OpenAPI description: the system, its servers, everything.

:func:`extract_research` is the one entry point: it gathers the system's description
and servers here, the operations, security schemes and constraints from their own
modules, and what the document leaves open from :mod:`~interlock.research.gaps`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin

from interlock.research.conformance import DocumentWarning
from interlock.research.constraints import read_constraints
from interlock.research.environments import environment_of
from interlock.research.facts import Link, Research, Server, System
from interlock.research.gaps import find_gaps
from interlock.research.html_text import prose
from interlock.research.openapi import OpenApiDocument
from interlock.research.operations import one_line, read_operations, read_webhooks, text_of
from interlock.research.paging import read_paging
from interlock.research.references import unresolved_line
from interlock.research.security import read_auth_schemes
from interlock.research.source import is_remote

__all__ = ["extract_research", "system_name_of"]

_DESCRIPTION_MAX = 800


def extract_research(
    document: OpenApiDocument, *, system_name: str | None = None, source: str | None = None
) -> Research:
    """Return the facts of ``document``.

    Args:
        document: the loaded description.
        system_name: what the interview calls the system; the document's title if None.
        source: how the note names the document; the document's own name if None.
    """
    operations = read_paging(document, read_operations(document))
    auth = read_auth_schemes(document, operations)
    webhooks = read_webhooks(document)
    constraints = read_constraints(document, operations)
    servers = tuple(_servers(document))
    system = _system(document, system_name or system_name_of(document), source)
    unresolved = tuple(
        unresolved_line(item, root=document.shown, source=system.source)
        for item in document.unresolved
    )
    gaps = find_gaps(
        document,
        system=system,
        servers=servers,
        auth=auth,
        operations=operations,
        webhooks=webhooks,
        constraints=constraints,
    )
    return Research(
        system=system,
        servers=servers,
        auth=auth,
        operations=operations,
        webhooks=webhooks,
        constraints=constraints,
        gaps=gaps,
        unresolved=unresolved,
        fully_validated=document.fully_validated,
        warnings=tuple(_warning_line(warning) for warning in document.warnings),
        warnings_total=document.warnings_total,
    )


def _warning_line(warning: DocumentWarning) -> str:
    """``FILE:LINE: at POINTER: message``, the file by its name: a note never holds a
    path of the machine it was written on."""
    place = PurePosixPath(warning.document.replace("\\", "/")).name or warning.document
    if warning.line is not None:
        place += f":{warning.line}"
    return f"{place}: at {warning.shown_pointer}: {warning.message}"


def system_name_of(document: OpenApiDocument) -> str:
    """Return the name the document gives the system: its title, else its file name."""
    info = _mapping(document.data.get("info"))
    return one_line(text_of(info.get("title")), 80) or document.name


def _system(document: OpenApiDocument, name: str, source: str | None) -> System:
    info = _mapping(document.data.get("info"))
    contact = _mapping(info.get("contact"))
    license_ = _mapping(info.get("license"))
    description = prose(info.get("description")).strip()
    first = re.split(r"\n[ \t]*\n", description, maxsplit=1)[0] if description else ""
    # The description is CommonMark, where a single line break is a space.
    first = " ".join(first.split())
    if len(first) > _DESCRIPTION_MAX:
        first = first[: _DESCRIPTION_MAX - 1].rstrip() + "…"
    who = ", ".join(
        part for part in (text_of(contact.get("name")), text_of(contact.get("email"))) if part
    )
    return System(
        name=name,
        title=one_line(text_of(info.get("title")), 200),
        version=one_line(text_of(info.get("version")), 80),
        summary=one_line(prose(info.get("summary")), 300),
        description=first,
        spec=document.label,
        source=source or document.name,
        source_name=document.name,
        links=tuple(_links(document.data, info, contact, license_)),
        contact=one_line(who, 200),
        license=one_line(text_of(license_.get("name")), 100),
    )


def _links(
    data: Mapping[str, Any],
    info: Mapping[str, Any],
    contact: Mapping[str, Any],
    license_: Mapping[str, Any],
) -> Iterator[Link]:
    docs = _mapping(data.get("externalDocs"))
    candidates = (
        (text_of(docs.get("description")) or "Documentation", docs.get("url")),
        ("Terms of service", info.get("termsOfService")),
        ("Support", contact.get("url")),
        ("License", license_.get("url")),
    )
    for label, url in candidates:
        if isinstance(url, str) and url.strip():
            yield Link(one_line(label, 100), url.strip())


def _servers(document: OpenApiDocument) -> Iterator[Server]:
    data = document.data
    if document.family == "2.0":
        yield from _swagger_servers(data)
        return
    servers = data.get("servers")
    if not isinstance(servers, list):
        return
    for index, server in enumerate(servers):
        server = document.resolver.deref(server)
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"].strip()
        if is_remote(document.shown) and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
            url = urljoin(document.shown, url)
        description = one_line(prose(server.get("description")), 200)
        variables = _mapping(server.get("variables"))
        yield Server(
            url,
            description,
            environment_of(f"{description} {url}"),
            tuple(
                (str(key), text_of(_mapping(value).get("default")))
                for key, value in variables.items()
            ),
            f"#/servers/{index}",
        )


def _swagger_servers(data: Mapping[str, Any]) -> Iterator[Server]:
    host = text_of(data.get("host")).strip()
    base = text_of(data.get("basePath")).strip() or "/"
    schemes = data.get("schemes")
    if not host:
        yield Server(base, "", "", source="#/basePath")
        return
    for scheme in schemes if isinstance(schemes, list) and schemes else ["https"]:
        url = f"{scheme}://{host}{base if base != '/' else ''}"
        yield Server(url, "", environment_of(url), source="#/host")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}
