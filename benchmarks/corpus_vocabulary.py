"""Word pools for the benchmark corpus: systems, flows, people, fields and phrases.

The generator in :mod:`corpus_specs` draws from these pools with a seeded random
generator, so every run writes the same corpus. The text is plain, realistic spec prose:
no template tokens, no brackets outside links, no open-question markers and nothing
that looks like a credential, so the only findings come from the problems the
generator plants on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class System:
    """A third-party or internal system a spec integrates with."""

    name: str
    slug: str
    provider: str
    protocol: str
    auth_key: str
    format_key: str

    @property
    def auth(self) -> str:
        """How calls to the system authenticate."""
        return AUTH_METHODS[self.auth_key]

    @property
    def data_format(self) -> str:
        """What the system's messages are written in."""
        return DATA_FORMATS[self.format_key]

    @property
    def host(self) -> str:
        """The system's made-up host name (the corpus names no real host)."""
        return f"{self.slug}.example.com"


AUTH_METHODS: dict[str, str] = {
    "bearer": "restricted secret key sent as a Bearer token",
    "api-key": "API key in the X-API-Key header, scoped per merchant account",
    "oauth-cc": "OAuth 2.0 client credentials with a one-hour access token",
    "basic": "HTTP basic auth with the account SID and an API key pair",
    "oauth-jwt": "OAuth 2.0 JWT bearer flow with a connected app",
    "oauth-code": "OAuth 2.0 authorization code grant",
    "mtls": "mutual TLS with a client certificate issued by the corporate CA",
    "hmac": "token-based authentication with HMAC-SHA256 signatures",
    "sasl": "SASL/SCRAM over TLS per service account",
    "iam": "IAM role with SigV4 signed requests",
    "mesh": "mutual TLS inside the service mesh",
    "ssh": "SSH key pair per partner, rotated yearly",
}
DATA_FORMATS: dict[str, str] = {
    "json": "JSON",
    "xml": "XML",
    "mixed": "JSON and XML",
    "form": "form-encoded requests, JSON responses",
    "avro": "Avro with a schema registry",
    "files": "CSV and Parquet files",
    "proto": "Protocol Buffers",
    "fixed": "fixed-width text files",
}

SYSTEMS: tuple[System, ...] = (
    System("Stripe", "stripe", "Stripe, Inc.", "REST", "bearer", "json"),
    System("Adyen", "adyen", "Adyen N.V.", "REST", "api-key", "json"),
    System("PayPal", "paypal", "PayPal Holdings", "REST", "oauth-cc", "json"),
    System("Twilio", "twilio", "Twilio Inc.", "REST", "basic", "form"),
    System("SendGrid", "sendgrid", "Twilio SendGrid", "REST", "bearer", "json"),
    System("Salesforce", "salesforce", "Salesforce, Inc.", "REST", "oauth-jwt", "json"),
    System("HubSpot", "hubspot", "HubSpot, Inc.", "REST", "bearer", "json"),
    System("Zendesk", "zendesk", "Zendesk, Inc.", "REST", "oauth-code", "json"),
    System("SAP S/4HANA", "sap", "SAP SE", "OData over HTTPS", "mtls", "mixed"),
    System("NetSuite", "netsuite", "Oracle NetSuite", "SOAP", "hmac", "xml"),
    System("Shopify", "shopify", "Shopify Inc.", "GraphQL", "api-key", "json"),
    System("Okta", "okta", "Okta, Inc.", "REST", "oauth-jwt", "json"),
    System("Auth0", "auth0", "Okta, Inc.", "REST", "oauth-cc", "json"),
    System("Segment", "segment", "Twilio Segment", "REST", "basic", "json"),
    System("Snowflake", "snowflake", "Snowflake Inc.", "SQL API over HTTPS", "oauth-jwt", "json"),
    System("Kafka cluster", "kafka", "platform team", "Kafka protocol", "sasl", "avro"),
    System("RabbitMQ", "rabbitmq", "platform team", "AMQP 0-9-1", "mtls", "json"),
    System("Amazon S3", "s3", "Amazon Web Services", "REST", "iam", "files"),
    System("Amazon SQS", "sqs", "Amazon Web Services", "HTTPS query API", "iam", "json"),
    System("Google Maps Platform", "gmaps", "Google LLC", "REST", "api-key", "json"),
    System("DocuSign", "docusign", "DocuSign, Inc.", "REST", "oauth-jwt", "json"),
    System("Plaid", "plaid", "Plaid Inc.", "REST", "oauth-cc", "json"),
    System("Avalara", "avalara", "Avalara, Inc.", "REST", "basic", "json"),
    System("FedEx", "fedex", "FedEx Corporation", "REST", "oauth-cc", "json"),
    System("UPS", "ups", "United Parcel Service", "REST", "oauth-cc", "json"),
    System("Workday", "workday", "Workday, Inc.", "SOAP and REST", "oauth-code", "mixed"),
    System("Jira Cloud", "jira", "Atlassian", "REST", "oauth-code", "json"),
    System("Slack", "slack", "Slack Technologies", "REST and Events API", "bearer", "json"),
    System("PagerDuty", "pagerduty", "PagerDuty, Inc.", "REST", "api-key", "json"),
    System("Mailchimp", "mailchimp", "Intuit Mailchimp", "REST", "oauth-code", "json"),
    System("inventory service", "inventory", "fulfilment team", "gRPC", "mesh", "proto"),
    System("ledger service", "ledger", "finance platform team", "REST", "mtls", "json"),
    System("pricing engine", "pricing", "commerce team", "gRPC", "mesh", "proto"),
    System("profile service", "profiles", "identity team", "REST", "oauth-cc", "json"),
    System("warehouse SFTP drop", "sftp", "logistics partner", "SFTP", "ssh", "fixed"),
)

FLOWS: tuple[tuple[str, str], ...] = (
    ("payments", "card payments"),
    ("refunds", "refunds and chargebacks"),
    ("payouts", "merchant payouts"),
    ("customer-sync", "customer record synchronisation"),
    ("order-export", "order export"),
    ("invoices", "invoice delivery"),
    ("shipments", "shipment tracking"),
    ("notifications", "customer notifications"),
    ("identity", "single sign-on"),
    ("reporting", "nightly reporting extracts"),
    ("catalogue", "product catalogue updates"),
    ("tax", "tax calculation"),
    ("contracts", "contract signature"),
    ("tickets", "support ticket creation"),
    ("events", "domain event publishing"),
    ("audit", "audit trail export"),
)


def _listed(text: str, separator: str = " ") -> tuple[str, ...]:
    """Split a pool written as one string, which reads better than a column of literals."""
    return tuple(text.split(separator))


PEOPLE = _listed(
    "Dana Ortiz, Lee Park, Amara Okafor, Sam Rivera, Priya Natarajan, Jonas Weber, Mei Lin, "
    "Tomás Alves, Fatima Zahra, Oliver Brandt, Chloé Martin, Kenji Watanabe, Aisha Bello, "
    "Marco Rossi, Ingrid Holm, Rahul Mehta, Zoë Dubois, Ethan Cole, Sofia Lindqvist, "
    "Yusuf Demir",
    ", ",
)
TEAMS = tuple(
    f"{name} team"
    for name in _listed(
        "payments, platform, checkout, data engineering, site reliability, "
        "security engineering, finance systems, support tooling",
        ", ",
    )
)
ENTITIES = _listed(
    "Customer Order Payment Refund Invoice Shipment Product Subscription Account Ticket "
    "Contract Address Payout Event"
)
FIELD_NAMES = _listed(
    "id external_id customer_id order_id amount currency status created_at updated_at email "
    "phone country_code postal_code line_items description reference due_date tracking_number "
    "carrier tax_amount discount metadata locale channel priority owner_id"
)
DATA_TYPES = _listed("string integer decimal boolean timestamp date enum array object")
TRANSFORMS = _listed(
    "copied as is; converted from minor units to a decimal; trimmed and lower-cased; "
    "mapped through the status table; converted to UTC; formatted as E.164; "
    "upper-cased ISO 3166 code; joined with a comma; hashed with SHA-256; "
    "looked up in the product catalogue; rounded half-even to 2 places",
    "; ",
)
VALIDATIONS = _listed(
    "required; required, at most 64 characters; non-negative; ISO 4217 code; "
    "valid e-mail address; must not be in the future; one of the known values; optional; "
    "unique per account; at least one item; matches the postal format",
    "; ",
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
RESOURCES = _listed(
    "charges refunds customers orders invoices shipments payouts messages contacts tickets "
    "products subscriptions envelopes transactions rates labels webhooks reports accounts "
    "events"
)


def _rows(table: str) -> tuple[tuple[str, ...], ...]:
    """Split a table written one row a line, cells separated by ``|``."""
    return tuple(
        tuple(cell.strip() for cell in line.split("|")) for line in table.strip().splitlines()
    )


ERROR_TYPES = _rows(
    """
    Network timeout | no response in time | retry, then queue | exponential backoff, 3 attempts
    Rate limited (429) | the provider throttled us | honour Retry-After | as instructed, 5 attempts
    Validation error (400) | the request was rejected as malformed | log and alert | no retry
    Unauthorized (401) | the token expired | refresh the token once | one retry after refresh
    Conflict (409) | the record changed concurrently | re-read and merge | one retry
    Server error (5xx) | the provider failed | retry with backoff | exponential backoff, 4 attempts
    Duplicate delivery | the same event arrived twice | drop by idempotency key | no retry
    Schema mismatch | a field changed type upstream | park in the dead letter queue | manual replay
    """
)
RISKS = _rows(
    """
    Provider outage during peak trading | queue requests and replay them on recovery
    Breaking change in the provider's API | pin the API version, run contract tests nightly
    Rate limit reached during batch jobs | spread batch calls, reserve capacity for live traffic
    Credential leak | keep credentials in the vault and rotate them every 90 days
    Data drift between the two systems | reconcile daily, alert on mismatches above 0.1%
    Price increase by the provider | review usage monthly, keep an alternative evaluated
    Latency spikes in the provider's region | serve from the cache and degrade gracefully
    Personal data stored in logs | redact fields at the logging boundary and test it
    """
)

LEVELS: tuple[str, ...] = ("low", "medium", "high")

PATTERNS: tuple[str, ...] = (
    "Request/Reply over HTTPS",
    "Publish/Subscribe through the event bus",
    "Event-driven with webhooks",
    "Scheduled batch transfer",
    "Change data capture",
)

SYNC_MODES: tuple[str, ...] = (
    "real-time, within two seconds of the change",
    "near real-time through a queue",
    "hourly batch",
    "nightly batch at 02:00 UTC",
    "on demand from the admin console",
)

DEPLOYMENTS: tuple[str, ...] = (
    "canary release to 5% of traffic, then 50%, then all",
    "blue-green switch behind the load balancer",
    "rolling update, one pod at a time",
    "feature flag per merchant, widened weekly",
)

REGIONS: tuple[str, ...] = (
    "EU data must stay in eu-west-1",
    "no restriction beyond the provider's sanctions list",
    "US and Canada only during the pilot",
    "payments in India need a local processor",
)

OPENERS: tuple[str, ...] = (
    "The {team} runs {flow} through {system} by hand today; this integration automates it.",
    "Customers expect {flow} to happen without delay, so the {team} connects directly to {system}.",
    "{system} replaces the spreadsheet process the {team} uses for {flow}.",
    "This specification describes how our platform exchanges {flow} data with {system}.",
    "The {team} owns the {flow} integration with {system} and its on-call rotation.",
)

FILLERS: tuple[str, ...] = (
    "Every call carries a correlation id so that a request can be traced across both systems.",
    "The integration is stateless; state lives in the {store} table owned by the {team}.",
    "Writes are idempotent: each request carries an idempotency key derived from the {entity} id.",
    "Responses are validated against the published schema before they reach the domain model.",
    "The provider's sandbox mirrors production closely, except for webhooks, which are delayed.",
    "Volumes grow by about {growth}% a quarter, and the design leaves room for twice today's peak.",
    "A reconciliation job compares both sides every night and files a ticket for each mismatch.",
    "Only the fields listed in the mapping tables leave our systems; everything else is dropped.",
    "The client library is generated from the provider's OpenAPI document and pinned per release.",
    "Operators can pause the integration from the admin console without a deployment.",
    "All timestamps are stored in UTC and converted for display only.",
    "The {entity} records are partitioned by account, so a slow account cannot block the others.",
    "Peak load is {peak} requests per minute on the last business day of the month.",
    "Failures are visible on the {team} dashboard within one minute.",
)

STORES: tuple[str, ...] = ("integration_state", "sync_cursor", "outbox", "provider_accounts")

__all__ = [
    "AUTH_METHODS",
    "DATA_FORMATS",
    "DATA_TYPES",
    "DEPLOYMENTS",
    "ENTITIES",
    "ERROR_TYPES",
    "FIELD_NAMES",
    "FILLERS",
    "FLOWS",
    "LEVELS",
    "METHODS",
    "OPENERS",
    "PATTERNS",
    "PEOPLE",
    "REGIONS",
    "RESOURCES",
    "RISKS",
    "STORES",
    "SYNC_MODES",
    "SYSTEMS",
    "TEAMS",
    "TRANSFORMS",
    "VALIDATIONS",
    "System",
]
