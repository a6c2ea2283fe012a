"""AsyncAPI's security scheme types, and how a research note words them.

AsyncAPI names more kinds of scheme than OpenAPI (SASL mechanisms, X.509 client
certificates, user name and password), so its schemes are described here rather than
by :func:`~interlock.research.security.describe_scheme`. The reader checks a scheme's
type against :data:`SCHEME_TYPES`; the note and the gaps word it.
"""

from __future__ import annotations

from interlock.research.facts import AuthScheme

__all__ = ["SCHEME_TYPES", "describe_event_scheme", "event_auth_summary"]

SCHEME_TYPES = frozenset(
    {
        "userPassword",
        "apiKey",
        "X509",
        "symmetricEncryption",
        "asymmetricEncryption",
        "httpApiKey",
        "http",
        "oauth2",
        "openIdConnect",
        "plain",
        "scramSha256",
        "scramSha512",
        "gssapi",
    }
)
"""The ``type`` values of a security scheme AsyncAPI defines."""

_SCHEME_WORDS = {
    "userPassword": "user name and password",
    "X509": "X.509 client certificate (mutual TLS)",
    "symmetricEncryption": "symmetric encryption",
    "asymmetricEncryption": "asymmetric encryption",
    "openIdConnect": "OpenID Connect",
    "plain": "SASL/PLAIN user name and password",
    "scramSha256": "SASL/SCRAM-SHA-256 user name and password",
    "scramSha512": "SASL/SCRAM-SHA-512 user name and password",
    "gssapi": "SASL/GSSAPI (Kerberos)",
}


def describe_event_scheme(scheme: AuthScheme) -> str:
    """Return an AsyncAPI security scheme in words."""
    kind = scheme.type
    if kind == "apiKey":
        role = {"user": "user name", "password": "password"}.get(scheme.location)
        return f"API key sent as the {role}" if role else "API key"
    if kind == "httpApiKey":
        named = f" {scheme.parameter}" if scheme.parameter else ""
        return f"API key in the HTTP {scheme.location or 'request'}{named}"
    if kind == "http":
        bearer = scheme.http_scheme.lower() == "bearer"
        form = f" ({scheme.bearer_format})" if bearer and scheme.bearer_format else ""
        return f"HTTP {scheme.http_scheme or 'authentication'}{form}"
    if kind == "oauth2":
        flows = ", ".join(flow.kind for flow in scheme.flows)
        return f"OAuth 2.0 ({flows})" if flows else "OAuth 2.0"
    return _SCHEME_WORDS.get(kind, f"a scheme of unknown type {kind}")


def event_auth_summary(schemes: tuple[AuthScheme, ...]) -> str:
    """Return the one-line Authentication field: every scheme, described."""
    if not schemes:
        return "none declared in the document"
    return "; ".join(f"{scheme.key}: {describe_event_scheme(scheme)}" for scheme in schemes)
