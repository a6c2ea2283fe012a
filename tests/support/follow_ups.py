"""The follow-up questions the built-in bank asks about each external API it is told of.

Both the bank's own tests and the engine's walk through an interview expect this set,
so it is written once.
"""

from __future__ import annotations

EXTERNAL_API_FOLLOW_UPS = frozenset(
    {
        "external.purpose",
        "external.sla",
        "external.auth",
        "external.style",
        "external.endpoints",
        "external.rate_limits",
        "external.client",
        "external.timeout",
        "external.failure",
        "external.retry_attempts",
        "external.retry_backoff",
        "external.fallback",
        "external.sandbox",
    }
)
"""Asked at standard depth for every external API, except the circuit breaker question."""

BREAKER_FOLLOW_UP = "external.breaker"
"""Asked only of an external API whose failure handling includes a circuit breaker."""
