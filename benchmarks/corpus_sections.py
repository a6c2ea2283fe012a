"""The body of a generated integration spec, section by section.

:class:`SpecWriter` writes every section of the integration specification template,
from "Overview and Context" to "Change History", with values drawn from
:mod:`corpus_vocabulary`: two API endpoints with parameter and response
tables and JSON bodies, mapping tables of three to six rows, error and risk tables,
and prose assembled from sentence pools. One planted problem can be switched on per
spec: a template placeholder, or a "TBD" left in the limitations.
"""

from __future__ import annotations

import random

from corpus_vocabulary import (
    DATA_TYPES,
    DEPLOYMENTS,
    ENTITIES,
    ERROR_TYPES,
    FIELD_NAMES,
    FILLERS,
    LEVELS,
    METHODS,
    OPENERS,
    PATTERNS,
    PEOPLE,
    REGIONS,
    RESOURCES,
    RISKS,
    STORES,
    SYNC_MODES,
    TRANSFORMS,
    VALIDATIONS,
    System,
)


class SpecWriter:
    """Write the body of one spec; each section method returns one section's text."""

    def __init__(self, rng: random.Random, system: System, flow: str, team: str) -> None:
        self.rng = rng
        self.system = system
        self.flow = flow
        self.team = team
        self.entities = rng.sample(ENTITIES, 3)
        self.version = f"v{rng.randrange(1, 5)}"

    def pick(self, pool: tuple[str, ...]) -> str:
        return pool[self.rng.randrange(len(pool))]

    def prose(self, sentences: int) -> str:
        rng = self.rng
        words = {
            "flow": self.flow,
            "team": self.team,
            "system": self.system.name,
            "entity": self.entities[0].lower(),
            "store": self.pick(STORES),
            "growth": str(rng.randrange(5, 40)),
            "peak": f"{rng.randrange(2, 90) * 100:,}",
        }
        chosen = rng.sample(FILLERS, sentences)
        return " ".join(sentence.format(**words) for sentence in chosen)

    def body(self, *, placeholder: bool, open_question: bool) -> list[str]:
        system = self.system
        sections = [
            f"# {system.name} {self.flow.title()} Integration Specification\n",
            self.overview(),
            self.goals(),
            self.third_party(open_question=open_question),
            self.architecture(),
            self.data_mapping(),
            self.contracts(),
            self.error_handling(),
            self.monitoring(),
            self.security(),
            self.testing(),
            self.deployment(),
            self.risks(),
            self.implementation(),
            self.review(),
            self.history(),
        ]
        if placeholder:
            # Left exactly as the template has it, so the placeholder rule must find it.
            sections[3] = sections[3].replace(
                "- **Support**:", "- **Support**: {{Support contact information}}; formerly", 1
            )
        return sections

    def overview(self) -> str:
        opener = self.pick(OPENERS).format(flow=self.flow, team=self.team, system=self.system.name)
        return (
            "## Overview and Context\n\n"
            f"{opener} {self.prose(2)}\n\n{self.prose(2)}\n\n"
            f"See the [provider documentation](https://{self.system.host}/docs) for background.\n"
        )

    def goals(self) -> str:
        rng = self.rng
        return (
            "## Integration Goals and Success Criteria\n\n### Primary Goals\n\n"
            f"1. **Automate {self.flow}**: no manual step for {rng.randrange(95, 100)}% "
            "of cases within the first quarter.\n"
            f"2. **Reduce latency**: p95 end-to-end time under {rng.randrange(2, 30)} seconds.\n"
            f"3. **Keep the books right**: zero unreconciled {self.entities[0].lower()} "
            "records at month end.\n\n"
            "### Success Criteria\n\n"
            f"- **Data Synchronization**: {rng.randrange(990, 1000) / 10}% of records "
            f"match after the nightly reconciliation.\n"
            f"- **Performance**: p99 latency of {rng.randrange(150, 900)} ms per call at "
            f"{rng.randrange(10, 300)} requests per second.\n"
            f"- **Reliability**: {rng.choice(('99.9', '99.95', '99.99'))}% monthly availability "
            "of the integration path.\n"
            f"- **Error Rate**: below {rng.randrange(1, 9) / 10}% of calls over any hour.\n"
        )

    def third_party(self, *, open_question: bool) -> str:
        rng = self.rng
        system = self.system
        contact = f"support through the {system.provider} portal, priority {rng.randrange(1, 4)}"
        api_limit = (
            "TBD with the vendor's account manager"
            if open_question
            else f"pages hold at most {rng.choice((50, 100, 250, 500))} records"
        )
        return (
            "## Third-Party System Information\n\n### System Overview\n\n"
            f"- **System Name**: {system.name}\n"
            f"- **System Version**: {self.version}.{rng.randrange(0, 20)}\n"
            f"- **Provider**: {system.provider}\n"
            f"- **Documentation**: https://{system.host}/docs/{self.version}\n"
            f"- **Support**: {contact}\n\n"
            "### Technical Specifications\n\n"
            f"- **API Version**: {self.version}\n"
            f"- **Protocol**: {system.protocol}\n"
            f"- **Authentication Method**: {system.auth}\n"
            f"- **Data Format**: {system.data_format}\n"
            f"- **Rate Limits**: {rng.choice((25, 50, 100, 200, 500, 1000))} requests per second "
            f"per account, bursts of {rng.choice((2, 3, 5))}x for ten seconds\n\n"
            "### Limitations and Constraints\n\n"
            f"- **API Limitations**: {api_limit}\n"
            f"- **Data Limitations**: request bodies up to {rng.choice((1, 2, 5, 10))} MB\n"
            f"- **Business Hours**: maintenance on Sundays {rng.randrange(0, 6):02d}:00 to "
            f"{rng.randrange(6, 9):02d}:00 UTC\n"
            f"- **Geographic Restrictions**: {self.pick(REGIONS)}\n"
        )

    def architecture(self) -> str:
        return (
            "## Integration Architecture\n\n### Integration Pattern\n\n"
            f"- **Pattern Type**: {self.pick(PATTERNS)}\n"
            f"- **Data Flow**: the {self.team} service sends {self.entities[0].lower()} changes "
            f"to {self.system.name} and stores the returned reference\n"
            f"- **Synchronization**: {self.pick(SYNC_MODES)}\n\n"
            "### Architecture Diagram\n\n"
            f"The diagram lives in docs/diagrams/{self.system.slug}.svg. {self.prose(1)}\n\n"
            "### Security Architecture\n\n"
            "- **Data Encryption**: TLS 1.2 or later in transit, AES-256 at rest\n"
            f"- **Authentication Flow**: {self.system.auth}\n"
            "- **Authorization**: least-privilege scopes, reviewed every quarter\n"
            "- **Audit Logging**: every write is logged with actor, time and correlation id\n"
        )

    def mapping_table(self, entity: str) -> str:
        rng = self.rng
        rows = [
            "| Source Field | Target Field | Data Type | Transformation | Validation |",
            "| ------------ | ------------ | --------- | -------------- | ---------- |",
        ]
        for field_name in rng.sample(FIELD_NAMES, rng.randrange(3, 7)):
            rows.append(
                f"| {field_name} | {entity.lower()}_{field_name} | {self.pick(DATA_TYPES)} "
                f"| {self.pick(TRANSFORMS)} | {self.pick(VALIDATIONS)} |"
            )
        return f"#### {entity} Mapping\n\n" + "\n".join(rows) + "\n"

    def data_mapping(self) -> str:
        return (
            "## Data Mapping and Transformation\n\n### Data Mapping\n\n"
            f"{self.mapping_table(self.entities[0])}\n{self.mapping_table(self.entities[1])}\n"
            f"### Data Transformation Rules\n\n{self.prose(2)}\n\n"
            f"### Data Validation\n\n{self.prose(1)}\n"
        )

    def endpoint(self) -> str:
        rng = self.rng
        method = self.pick(METHODS)
        resource = self.pick(RESOURCES)
        path = f"/{self.version}/{resource}" + ("/{id}" if method != "POST" else "")
        fields = rng.sample(FIELD_NAMES, 3)
        body = ",\n".join(f'  "{name}": "{self.pick(DATA_TYPES)}"' for name in fields)
        example = ",\n".join(f'  "{name}": "{rng.randrange(1000, 99999)}"' for name in fields)
        return (
            f"#### {method.title()} {resource}\n\n"
            f"**Method**: {method}  \n**Endpoint**: https://{self.system.host}{path}  \n"
            f"**Purpose**: {method.lower()} {resource} for {self.flow}\n\n"
            "**Request Parameters**:\n\n"
            "| Parameter | Type | Required | Description | Example |\n"
            "| --------- | ---- | -------- | ----------- | ------- |\n"
            f"| {fields[0]} | string | yes | the {fields[0].replace('_', ' ')} | "
            f"{rng.randrange(100, 999)} |\n"
            f"| limit | integer | no | page size | {rng.choice((20, 50, 100))} |\n\n"
            f"**Request Body**:\n\n```json\n{{\n{body}\n}}\n```\n\n"
            "**Response**:\n\n"
            "| Status Code | Description | Schema |\n| ----------- | ----------- | ------ |\n"
            f"| 200 | the {resource} record | {resource.title()}Response |\n"
            "| 400 | the request was malformed | ErrorResponse |\n"
            "| 401 | the credentials were rejected | ErrorResponse |\n"
            "| 500 | the provider failed | ErrorResponse |\n\n"
            f"**Success Response Example**:\n\n```json\n{{\n{example}\n}}\n```\n"
        )

    def contracts(self) -> str:
        events = ""
        if self.rng.random() < 0.3:
            entity = self.entities[2].lower()
            events = (
                f"\n### Event Contracts\n\n#### {self.entities[2]} Changed\n\n"
                f"**Event Type**: {self.system.slug}.{entity}.changed  \n"
                f"**Purpose**: tells subscribers that a {entity} changed\n\n"
                "**Event Schema**:\n\n```json\n{\n"
                f'  "{entity}_id": "string",\n  "changed_at": "timestamp"\n}}\n```\n'
            )
        return (
            "## Integration Contracts\n\n### API Contracts\n\n"
            f"{self.endpoint()}\n{self.endpoint()}{events}"
        )

    def error_handling(self) -> str:
        rng = self.rng
        rows = "\n".join(
            f"| {kind} | {description} | {handling} | {retry} |"
            for kind, description, handling, retry in rng.sample(ERROR_TYPES, rng.randrange(3, 6))
        )
        return (
            "## Error Handling and Recovery\n\n### Error Categories\n\n"
            "| Error Type | Description | Handling Strategy | Retry Logic |\n"
            "| ---------- | ----------- | ----------------- | ----------- |\n"
            f"{rows}\n\n"
            "### Retry Mechanism\n\n"
            "- **Retry Strategy**: exponential backoff with full jitter\n"
            f"- **Max Retries**: {rng.randrange(2, 7)}\n"
            f"- **Retry Interval**: starts at {rng.choice((100, 200, 500))} ms, doubles, "
            f"capped at {rng.choice((10, 30, 60))} s\n"
            f"- **Dead Letter Queue**: {self.system.slug}-{self.entities[0].lower()}-dlq, "
            f"kept for {rng.choice((7, 14))} days\n\n"
            "### Circuit Breaker Pattern\n\n"
            f"The breaker opens per account and protects the {self.team} service.\n\n"
            f"- **Failure Threshold**: {rng.randrange(5, 50)} failures in 30 seconds\n"
            f"- **Timeout**: {rng.choice((2, 5, 10, 15))} s per request\n"
            "- **Recovery Strategy**: half-open after 60 s with a single probe call\n"
        )

    def monitoring(self) -> str:
        rng = self.rng
        return (
            "## Monitoring and Logging\n\n### Key Metrics\n\n"
            "- **Success Rate**: share of 2xx responses per minute, alert below "
            f"{rng.randrange(95, 100)}%\n"
            f"- **Response Time**: p50, p95 and p99 per endpoint, alert when p95 exceeds "
            f"{rng.randrange(300, 2000)} ms\n"
            "- **Error Rate**: errors per category per minute\n"
            "- **Throughput**: requests and records per minute\n\n"
            "### Logging Requirements\n\n"
            "- **Log Format**: structured JSON with correlation id\n"
            "- **Log Levels**: info for calls, warning for retries, error for failures\n"
            "- **Sensitive Data**: card numbers, e-mail addresses and tokens are redacted\n"
            f"- **Retention**: {rng.choice((14, 30, 90))} days hot, one year archived\n\n"
            "### Alerting\n\n"
            "- **Alert Conditions**: error rate above threshold for five minutes\n"
            f"- **Escalation**: on-call engineer of the {self.team}, then the team lead\n"
            f"- **Notification Channels**: pager and the #{self.system.slug}-alerts channel\n"
        )

    def security(self) -> str:
        return (
            "## Security Considerations\n\n### Data Protection\n\n"
            f"- **Data Classification**: {self.pick(('confidential', 'internal', 'restricted'))}\n"
            "- **Encryption Requirements**: TLS in transit, encrypted volumes at rest\n"
            f"- **Data Retention**: {self.rng.choice((30, 90, 365))} days, then deleted\n"
            "- **Privacy Compliance**: GDPR and CCPA; a data processing agreement is signed\n\n"
            "### Access Control\n\n"
            f"- **Authentication**: {self.system.auth}\n"
            "- **Authorization**: one service account per environment\n"
            "- **Credential Management**: kept in the vault, rotated every 90 days\n\n"
            "### Security Monitoring\n\n"
            "- **Security Events**: failed authentications and unusual volumes\n"
            "- **Incident Response**: the security runbook, section on third parties\n"
            "- **Vulnerability Management**: dependencies scanned on every build\n"
        )

    def testing(self) -> str:
        return (
            "## Testing Strategy\n\n### Testing Types\n\n"
            "- **Unit Testing**: mapping and retry logic, "
            f"{self.rng.randrange(80, 96)}% line coverage\n"
            "- **Integration Testing**: against the provider sandbox on every merge\n"
            "- **End-to-End Testing**: the main journey in staging, nightly\n"
            f"- **Performance Testing**: {self.rng.randrange(2, 5)}x peak load for 30 minutes\n"
            "- **Security Testing**: yearly penetration test of the integration path\n\n"
            "### Test Environments\n\n"
            "- **Development**: mock server with recorded responses\n"
            "- **Testing**: provider sandbox with synthetic accounts\n"
            "- **Staging**: provider sandbox with production-like volumes\n"
            f"- **Third-Party Sandbox**: https://{self.system.host}/sandbox\n\n"
            f"### Test Data Management\n\n{self.prose(1)}\n\n"
            f"### Mock Services\n\n{self.prose(1)}\n"
        )

    def deployment(self) -> str:
        return (
            "## Deployment and Operations\n\n### Deployment Strategy\n\n"
            f"- **Deployment Method**: {self.pick(DEPLOYMENTS)}\n"
            "- **Configuration Management**: per-environment settings in the config repository\n"
            f"- **Environment Variables**: {self.system.slug.upper()}_BASE_URL and "
            f"{self.system.slug.upper()}_TIMEOUT_MS\n\n"
            "### Operational Requirements\n\n"
            "- **Monitoring**: dashboards and alerts described above\n"
            "- **Alerting**: routed through the on-call schedule\n"
            "- **Backup**: the state table is backed up hourly\n"
            "- **Disaster Recovery**: replay from the outbox after a regional failover\n\n"
            "### Maintenance\n\n"
            "- **Scheduled Maintenance**: announced a week ahead in the status page\n"
            "- **Updates**: client library updated monthly after contract tests pass\n"
            "- **Patch Management**: security patches within seven days\n"
        )

    def risks(self) -> str:
        rng = self.rng
        owners = rng.sample(PEOPLE, 3)
        rows = "\n".join(
            f"| {risk} | {self.pick(LEVELS)} | {self.pick(LEVELS)} | {mitigation} | {owner} |"
            for (risk, mitigation), owner in zip(rng.sample(RISKS, 3), owners, strict=True)
        )
        return (
            "## Risks and Mitigation\n\n### Risk Assessment\n\n"
            "| Risk | Probability | Impact | Mitigation Strategy | Owner |\n"
            "| ---- | ----------- | ------ | ------------------- | ----- |\n"
            f"{rows}\n\n### Third-Party Specific Risks\n\n{self.prose(1)}\n"
        )

    def implementation(self) -> str:
        return (
            "## Implementation Notes\n\n### Technical Considerations\n\n"
            f"- {self.prose(1)}\n- {self.prose(1)}\n\n"
            f"### Implementation Approach\n\n{self.prose(2)}\n"
        )

    def review(self) -> str:
        rng = self.rng
        box = "x" if rng.random() < 0.9 else " "
        people = rng.sample(PEOPLE, 3)
        return (
            "## Review and Approval\n\n### Review Checklist\n\n"
            "- [x] Integration goals are clearly defined and measurable\n"
            "- [x] Third-party system information is complete\n"
            "- [x] Data mapping and transformation are defined\n"
            f"- [{box}] Integration contracts are complete\n"
            "- [x] Error handling and recovery strategies are defined\n"
            "- [x] Security requirements are specified\n\n"
            "### Review History\n\n"
            "| Date | Reviewer | Comments | Status |\n| ---- | -------- | -------- | ------ |\n"
            f"| 2025-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)} | {people[0]} | "
            "mapping reviewed | approved |\n"
            f"| 2025-0{rng.randrange(1, 10)}-2{rng.randrange(0, 9)} | {people[1]} | "
            "retry policy agreed | approved |\n\n"
            "### Approval\n\n"
            "| Date | Approver | Role | Decision | Comments |\n"
            "| ---- | -------- | ---- | -------- | -------- |\n"
            f"| 2025-10-0{rng.randrange(1, 10)} | {people[2]} | engineering manager | "
            "approved | ready to build |\n"
        )

    def history(self) -> str:
        author = self.pick(PEOPLE)
        return (
            "## Change History\n\n"
            "| Version | Date | Author | Changes |\n| ------- | ---- | ------ | ------- |\n"
            f"| 1.0.0 | 2024-06-0{self.rng.randrange(1, 10)} | {author} | Initial version |\n"
            f"| 1.0.1 | 2024-07-1{self.rng.randrange(0, 10)} | {author} | Added retry policy |\n"
        )


__all__ = ["SpecWriter"]
