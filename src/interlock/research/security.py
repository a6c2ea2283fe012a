"""The security schemes of an OpenAPI description, in one shape for every version.

OpenAPI 3 declares them under ``components.securitySchemes``, Swagger 2.0 under
``securityDefinitions`` with a ``basic`` type and one OAuth flow per scheme under
older names (``application`` for client credentials, ``accessCode`` for the
authorization code). Both become :class:`~interlock.research.facts.AuthScheme`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from interlock.research.facts import AuthScheme, OAuthFlow, Operation
from interlock.research.openapi import OpenApiDocument
from interlock.research.operations import one_line, text_of

__all__ = ["auth_kind", "describe_scheme", "flow_name", "read_auth_schemes", "schemes_in_use"]

_SWAGGER_FLOWS = {
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
    "implicit": "implicit",
    "password": "password",
}
_SIGNED = re.compile(r"hmac|signature")
_FLOW_NAMES = {
    "clientCredentials": "client credentials",
    "authorizationCode": "authorization code",
    "implicit": "implicit",
    "password": "resource owner password",
    "deviceAuthorization": "device authorization",
}


def read_auth_schemes(
    document: OpenApiDocument, operations: Sequence[Operation]
) -> tuple[AuthScheme, ...]:
    """Return every declared scheme, with how many operations accept it."""
    data = document.data
    if document.family == "2.0":
        declared = data.get("securityDefinitions")
    else:
        components = data.get("components")
        declared = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(declared, dict):
        return ()
    resolver = document.resolver
    schemes = []
    for key, node in declared.items():
        node = resolver.deref(node)
        if not isinstance(node, dict):
            continue
        uses = sum(
            1
            for operation in operations
            if any(key in requirement for requirement in operation.security or ())
        )
        schemes.append(_scheme(str(key), node, uses))
    return tuple(schemes)


def schemes_in_use(auth: Sequence[AuthScheme]) -> list[AuthScheme]:
    """Return the schemes some operation accepts; all of them if no operation says."""
    return [scheme for scheme in auth if scheme.operations] or list(auth)


def auth_kind(scheme: AuthScheme) -> str | None:
    """Return how ``scheme`` authenticates, in the interview's words, if it tells.

    The answers are the options of the bank's ``external.auth`` question: ``api-key``,
    ``oauth2`` (OpenID Connect is built on it), ``basic``, ``mtls`` and
    ``signed-requests``. A bearer or digest scheme says how a credential travels, not
    where it comes from, so it has no answer of its own.
    """
    if scheme.type == "apiKey":
        return "api-key"
    if scheme.type in ("oauth2", "openIdConnect"):
        return "oauth2"
    if scheme.type == "mutualTLS":
        return "mtls"
    if scheme.type == "http":
        kind = scheme.http_scheme.lower()
        if kind == "basic":
            return "basic"
        if _SIGNED.search(kind):
            return "signed-requests"
    return None


def describe_scheme(scheme: AuthScheme) -> str:
    """Return a short description such as ``OAuth 2.0 (client credentials)``."""
    if scheme.type == "apiKey":
        where = scheme.location or "somewhere"
        return f"API key in {where} {scheme.parameter!r}".rstrip()
    if scheme.type == "http":
        kind = scheme.http_scheme.lower()
        if kind == "basic":
            return "HTTP basic authentication"
        if kind == "bearer":
            shown = f" ({scheme.bearer_format})" if scheme.bearer_format else ""
            return f"HTTP bearer token{shown}"
        return f"HTTP {scheme.http_scheme or 'authentication'}"
    if scheme.type == "oauth2":
        flows = ", ".join(flow_name(flow.kind) for flow in scheme.flows)
        return f"OAuth 2.0 ({flows})" if flows else "OAuth 2.0"
    if scheme.type == "openIdConnect":
        return "OpenID Connect"
    if scheme.type == "mutualTLS":
        return "mutual TLS"
    return scheme.type or "an unknown scheme"


def flow_name(kind: str) -> str:
    """Return an OAuth flow's name in words, e.g. ``client credentials``."""
    return _FLOW_NAMES.get(kind, kind)


def _scheme(key: str, node: Mapping[str, Any], uses: int) -> AuthScheme:
    kind = text_of(node.get("type"))
    description = one_line(text_of(node.get("description")), 300)
    scheme = AuthScheme(key, kind, description, operations=uses)
    if kind == "basic":  # Swagger 2.0
        return replace(scheme, type="http", http_scheme="basic")
    if kind == "apiKey":
        location, parameter = text_of(node.get("in")), text_of(node.get("name"))
        return replace(scheme, location=location, parameter=parameter)
    if kind == "http":
        http_scheme, bearer_format = text_of(node.get("scheme")), text_of(node.get("bearerFormat"))
        return replace(scheme, http_scheme=http_scheme, bearer_format=bearer_format)
    if kind == "oauth2":
        return replace(scheme, flows=_flows(node))
    if kind == "openIdConnect":
        return replace(scheme, openid_url=text_of(node.get("openIdConnectUrl")))
    return scheme


def _flows(node: Mapping[str, Any]) -> tuple[OAuthFlow, ...]:
    if "flow" in node:  # Swagger 2.0: one flow, described on the scheme itself
        kind = _SWAGGER_FLOWS.get(text_of(node.get("flow")), text_of(node.get("flow")))
        return (_flow(kind, node),)
    flows = node.get("flows")
    if not isinstance(flows, dict):
        return ()
    return tuple(_flow(str(kind), flow) for kind, flow in flows.items() if isinstance(flow, dict))


def _flow(kind: str, node: Mapping[str, Any]) -> OAuthFlow:
    scopes = node.get("scopes")
    pairs = (
        tuple((str(name), one_line(text_of(text), 200)) for name, text in scopes.items())
        if isinstance(scopes, dict)
        else ()
    )
    return OAuthFlow(
        kind,
        text_of(node.get("authorizationUrl")),
        text_of(node.get("tokenUrl")),
        text_of(node.get("refreshUrl")),
        pairs,
    )
