"""The security schemes of an OpenAPI description, in one shape for every version.

OpenAPI 3 declares them under ``components.securitySchemes``, Swagger 2.0 under
``securityDefinitions`` with a ``basic`` type and one OAuth flow per scheme under
older names (``application`` for client credentials, ``accessCode`` for the
authorization code). Both become :class:`~interlock.research.facts.AuthScheme`.

HTTP basic often carries something other than a user's name and password: Stripe
sends the secret API key as the user name, Twilio the account SID and auth token. When
the scheme's description (or, failing that, a name such as ``accountSid_authToken``)
says what goes in the user name or the password, :attr:`AuthScheme.carries` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from interlock.research.facts import AuthScheme, OAuthFlow, Operation
from interlock.research.html_text import prose
from interlock.research.openapi import OpenApiDocument
from interlock.research.operations import one_line, pointer, text_of

__all__ = ["auth_kind", "describe_scheme", "flow_name", "read_auth_schemes", "schemes_in_use"]

_SWAGGER_FLOWS = {
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
    "implicit": "implicit",
    "password": "password",
}
_SIGNED = re.compile(r"hmac|signature")
# What a basic scheme may carry, longest names first, and how the note names each.
_CREDENTIALS = {
    "secret api key": "secret API key",
    "secret key": "secret API key",
    "api key": "API key",
    "api token": "API token",
    "access token": "access token",
    "auth token": "auth token",
    "authentication token": "auth token",
    "account sid": "account SID",
    "client id": "client ID",
    "client secret": "client secret",
    "token": "token",
    "key": "API key",
}
_CREDENTIAL = re.compile(
    r"\b(" + "|".join(name.replace(" ", r"[ _-]?") for name in _CREDENTIALS) + r")\b",
    re.IGNORECASE,
)
_ROLE = re.compile(r"\b(user[ _-]?name|login|password)\b", re.IGNORECASE)
# ``Basic <base64 of api_key:>``: a credential before the colon is the user name.
_COLON_FORM = re.compile(r"\b(\w+)\s*:\s*(\w*)`?\s*>", re.IGNORECASE)
_CLAUSE = re.compile(r"[.;,\n]|\band\b|\bwith\b", re.IGNORECASE)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
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
    where = "securityDefinitions" if document.family == "2.0" else "components/securitySchemes"
    schemes = []
    for key, node in declared.items():
        source = f"#/{where}/{pointer(str(key))[2:]}"
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            source = node["$ref"]
        node = resolver.deref(node)
        if not isinstance(node, dict):
            continue
        uses = sum(
            1
            for operation in operations
            if any(key in requirement for requirement in operation.security or ())
        )
        schemes.append(replace(_scheme(str(key), node, uses), source=source))
    return tuple(schemes)


def schemes_in_use(auth: Sequence[AuthScheme]) -> list[AuthScheme]:
    """Return the schemes some operation accepts; all of them if no operation says."""
    return [scheme for scheme in auth if scheme.operations] or list(auth)


def auth_kind(scheme: AuthScheme) -> str | None:
    """Return how ``scheme`` authenticates, in the interview's words, if it tells.

    The answers are the options of the bank's ``external.auth`` question: ``api-key``,
    ``oauth2`` (OpenID Connect is built on it), ``basic``, ``mtls`` and
    ``signed-requests``. A bearer or digest scheme says how a credential travels, not
    where it comes from, so it has no answer of its own. HTTP basic that carries an API
    key (:attr:`AuthScheme.carries`) is an API key.
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
            # Stripe sends its secret API key as the basic user name: an API key it is.
            return "api-key" if "key" in scheme.carries.lower() else "basic"
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
            return scheme.carries or "HTTP basic authentication (user name and password)"
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
    full = prose(node.get("description"))
    description = one_line(full, 300)
    scheme = AuthScheme(key, kind, description, operations=uses)
    if kind == "basic":  # Swagger 2.0
        return replace(scheme, type="http", http_scheme="basic", carries=_carried(full, key))
    if kind == "apiKey":
        location, parameter = text_of(node.get("in")), text_of(node.get("name"))
        return replace(scheme, location=location, parameter=parameter)
    if kind == "http":
        http_scheme, bearer_format = text_of(node.get("scheme")), text_of(node.get("bearerFormat"))
        carries = _carried(full, key) if http_scheme.lower() == "basic" else ""
        return replace(
            scheme, http_scheme=http_scheme, bearer_format=bearer_format, carries=carries
        )
    if kind == "oauth2":
        return replace(scheme, flows=_flows(node))
    if kind == "openIdConnect":
        return replace(scheme, openid_url=text_of(node.get("openIdConnectUrl")))
    return scheme


def _carried(description: str, key: str) -> str:
    """Return what a basic scheme carries as user name and password, if it is said."""
    roles = _roles_in_text(description)
    said = ""
    if not roles:
        roles = _roles_in_name(key)
        said = " (as the scheme's name says)"
    if not roles:
        return ""
    user, password = roles.get("user name"), roles.get("password")
    if user and not password:
        return f"{user} sent as the HTTP basic user name"
    if password and not user:
        return f"{password} sent as the HTTP basic password"
    return f"HTTP basic with the {user} as user name and the {password} as password{said}"


def _roles_in_text(text: str) -> dict[str, str]:
    """Return the credential the text puts in the user name and in the password."""
    roles: dict[str, str] = {}
    for match in _COLON_FORM.finditer(text):
        before, after = _credential(match.group(1)), _credential(match.group(2))
        if before:
            roles.setdefault("user name", before)
        if after:
            roles.setdefault("password", after)
    for clause in _CLAUSE.split(text):
        credential = _credential(clause)
        role = _ROLE.search(clause)
        if credential and role:
            name = "password" if role.group().lower() == "password" else "user name"
            roles.setdefault(name, credential)
    return roles


def _roles_in_name(key: str) -> dict[str, str]:
    """Read ``accountSid_authToken``: the user name's credential, then the password's."""
    parts = [part for part in re.split(r"[_:]+", key) if part]
    if len(parts) != 2:
        return {}
    words = [" ".join(_CAMEL.findall(part)).lower() for part in parts]
    found = [_credential(text) for text in words]
    if not all(found):
        return {}
    return {"user name": found[0], "password": found[1]}


def _credential(text: str) -> str:
    match = _CREDENTIAL.search(text.replace("_", " "))
    if match is None:
        return ""
    folded = re.sub(r"[ _-]+", " ", match.group().lower())
    return _CREDENTIALS.get(folded, _CREDENTIALS.get(folded.replace(" ", ""), folded))


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
        tuple((str(name), one_line(prose(text), 200)) for name, text in scopes.items())
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
