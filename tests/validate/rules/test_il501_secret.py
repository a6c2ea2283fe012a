import random
import string
from pathlib import Path

import pytest

from interlock.render.blank import BlankKind
from support.rule_checks import (
    BLANK_KINDS,
    SEED_NAMES,
    assert_findings,
    blank_path,
    blank_template,
    config_error,
    run_rule,
    seed_text,
)

# Built from pieces so that this file is not itself flagged by secret scanners.
AWS_KEY = "AKIA" + "Z7QF3M4XJ2LPRT6N"
GITHUB_TOKEN = "ghp_" + "R7tYu2KpL9mNq4WxZ8vB3cD6fH1jS5aE0gIo"
DB_PASSWORD = "S3cr3t" + "Pa55w0rd"
SLACK_WEBHOOK = (
    "https://hooks.slack.com/services/" + "T04KQ7R2N/B05LMX9PQ3Z/pQ8rT2vX9kL4mN7bW3cY6dF1"
)
KEY_HEADER = "-----BEGIN RSA " + "PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("line", "column", "kind", "secret"),
    [
        (f"- **AWS key**: {AWS_KEY}", 16, "AWS Access Key", AWS_KEY),
        (f"- **Token**: `{GITHUB_TOKEN}`", 15, "GitHub Token", GITHUB_TOKEN),
        (
            f"- **Database**: postgres://payments:{DB_PASSWORD}@db.internal:5432/pay",
            37,
            "Basic Auth Credentials",
            DB_PASSWORD,
        ),
        (f"| Alerts | {SLACK_WEBHOOK} |", 12, "Slack Token", SLACK_WEBHOOK),
    ],
    ids=["aws-access-key", "github-token", "password-in-url", "slack-webhook"],
)
def test_credential_is_reported_at_its_line_and_column_and_masked(
    line: str, column: int, kind: str, secret: str
) -> None:
    text = f"# Payments\n\n## Connection Details\n\n{line}\n"
    (problem,) = assert_findings("secret", text, [(5, column)])
    assert problem.message == f"{kind} in the spec: {secret[:4]}********"
    assert secret not in problem.message


def test_private_key_block_is_reported_at_its_header() -> None:
    text = f"# Spec\n\n```\n{KEY_HEADER}\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n```\n"
    (problem,) = assert_findings("secret", text, [(4, 6)])
    assert problem.message.startswith("Private Key in the spec: ")


def test_secrets_in_comments_and_code_are_reported_too() -> None:
    text = f"# Spec\n\n<!-- old key: {AWS_KEY} -->\n\n```bash\nexport TOKEN={GITHUB_TOKEN}\n```\n"
    assert_findings("secret", text, [(3, 15), (6, 14)])


def test_two_secrets_on_one_line_are_reported_left_to_right() -> None:
    text = f"keys: {GITHUB_TOKEN} and {AWS_KEY}\n"
    problems = assert_findings("secret", text, [(1, 7), (1, 52)])
    assert [p.message.split(" in ")[0] for p in problems] == ["GitHub Token", "AWS Access Key"]


def test_secret_after_an_id_on_the_same_line_is_found() -> None:
    text = f"| spec-integration-payments-001 | 3f2c6a1e-9b7d-4e21-8c55-1a2b3c4d5e6f | {AWS_KEY} |\n"
    assert_findings("secret", text, [(1, 74)])


def test_aws_secret_key_split_by_slashes_is_found() -> None:
    secret = "q8Vt2mR7/kLp3XwZ9bNc4/" + "Hf6JdYs1GuE5oTa0iQ"
    text = f'```ini\naws_secret_access_key = "{secret}"\n```\n'
    (problem,) = assert_findings("secret", text, [(2, 26)])
    assert secret not in problem.message


NORMAL_SPEC = """\
---
id: 'spec-integration-stripe-payments-001'
parent: 'spec-checkout-platform-001'
dependencies: ['spec-integration-vault-secrets-002', 'spec-orders-service-004']
---

# Stripe Payments Integration Specification

## Third-Party System Information

- **Documentation**: https://stripe.com/docs/api/charges/create
- **Authentication Method**: secret API key as a Bearer token, read from Vault path
  secret/payments/stripe; the password policy requires rotation every 90 days
- **Support**: mailto:support@stripe.com, https://support.stripe.com/contact@team

| Source Field | Target Field | Data Type | Transformation                 |
| ------------ | ------------ | --------- | ------------------------------ |
| order.id     | metadata     | string    | UUID 3f2c6a1e-9b7d-4e21-8c55-1a2b3c4d5e6f |

The reconciliation run frr_1OaBcDeFgHiJkLmN compares charge ch_3OaBcDeFgHiJkLmN0pQrStUv
with commit 9f2c3b7a1e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b and image digest
sha256:4d2a9c0e5f7b8a1c3e6d9f2b5a8c1e4d7f0a3b6c9e2d5f8a1b4c7e0d3f6a9b2c5e8.

```json
{"username": "string", "password": "string", "api_key": "{{api-key}}", "token": "<token>"}
```

Test mode uses the documented key AKIAIOSFODNN7EXAMPLE and sk_test_xxxxxxxxxxxxxxxxxxxxxxxx;
connect with https://user:<your-password>@db.example.com or https://user:password@host/x.
"""


def test_ids_uuids_hashes_urls_and_examples_in_a_normal_spec_pass() -> None:
    assert_findings("secret", NORMAL_SPEC, [])


def test_allow_patterns_are_an_option() -> None:
    text = f"- **AWS key**: {AWS_KEY}\n"
    assert_findings("secret", text, [], options={"allow": ["^AKIAZ7QF"]})
    assert_findings(
        "secret", "- **AWS key**: AKIAIOSFODNN7EXAMPLE\n", [(1, 16)], options={"allow": []}
    )


def test_plugins_option_chooses_the_detectors() -> None:
    text = f'- **AWS key**: {AWS_KEY}\n\n```python\npassword = "Tr0ub4dor-3x"\n```\n'
    assert_findings("secret", text, [(1, 16)])
    problems = assert_findings("secret", text, [(4, 13)], options={"plugins": ["KeywordDetector"]})
    assert problems[0].message == "Secret Keyword in the spec: Tr0u********"


def test_unknown_plugin_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    error = config_error(
        tmp_path,
        "  secret:\n    options:\n      plugins:\n        - KeywordDetector\n        - NoSuchDetector\n",
    )
    assert error.line == 6
    assert error.message.startswith(
        "option 'plugins' of rule secret: 'NoSuchDetector' is not one of "
    )
    assert "AWSKeyDetector" in error.message


def test_invalid_allow_pattern_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    error = config_error(tmp_path, "  secret:\n    options:\n      allow: ['(']\n")
    assert error.line == 4
    assert "option 'allow' of rule secret: '(' is not a regular expression" in error.message


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_hold_no_secret(kind: BlankKind) -> None:
    assert_findings("secret", blank_template(kind), [], path=blank_path(kind))


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_templates_hold_no_secret(seeds: Path, name: str) -> None:
    assert run_rule("secret", seed_text(seeds, name)) == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("- **Token**: ghp_" + "internal_release_token_for_ci_pipeline", "GitHub Token"),
        ("- **Bot**: 123456789:" + "my_telegram_bot_token_for_alerts_ab", "Telegram Bot Token"),
        ("artifactory_password_value: " + "AP6qzmvkrtwlhx", "Artifactory Credentials"),
    ],
    ids=["github-letters-and-underscores", "telegram", "artifactory-short"],
)
def test_tokens_shaped_like_identifiers_are_still_found(line: str, kind: str) -> None:
    # The prefilter passes over slugs only: these tokens look like snake-case names.
    text = f"# Spec\n\n{line}\n"
    (problem,) = run_rule("secret", text)
    assert (problem.line, problem.message.split(" in the spec")[0]) == (3, kind)


def _token(alphabet: str, length: int, seed: int) -> str:
    """Characters drawn at random: the vendor's format, never a real key."""
    chooser = random.Random(seed)
    return "".join(chooser.choice(alphabet) for _ in range(length))


_ALNUM = string.ascii_letters + string.digits
FINE_GRAINED = "github_pat_" + _token(_ALNUM, 22, 1) + "_" + _token(_ALNUM, 59, 2)
OPENAI_PROJECT = "sk-proj-" + _token(_ALNUM + "_-", 64, 3)
GOOGLE_KEY = "AIza" + _token(_ALNUM + "_-", 35, 4)
AWS_SECRET = _token(_ALNUM + "/+", 40, 5)


@pytest.mark.parametrize(
    ("line", "kind", "secret"),
    [
        (f"- **Token**: {FINE_GRAINED}", "GitHub Fine-Grained Token", FINE_GRAINED),
        (f"OPENAI_API_KEY={OPENAI_PROJECT}", "OpenAI Project Key", OPENAI_PROJECT),
        (f"- Maps key: {GOOGLE_KEY}", "Google API Key", GOOGLE_KEY),
        (f"aws_secret_access_key = {AWS_SECRET}", "AWS Secret Access Key", AWS_SECRET),
        (f"AWS_SECRET_ACCESS_KEY: {AWS_SECRET}", "AWS Secret Access Key", AWS_SECRET),
    ],
    ids=["github-fine-grained", "openai-project", "google-api-key", "aws-secret", "aws-env"],
)
def test_credential_formats_beyond_detect_secrets_are_found_and_masked(
    line: str, kind: str, secret: str
) -> None:
    problems = run_rule("secret", f"# Keys\n\n{line}\n")
    assert [(problem.line, problem.message.split(" in the spec")[0]) for problem in problems] == [
        (3, kind)
    ]
    assert secret not in problems[0].message
    assert secret[:4] in problems[0].message


def test_an_aws_secret_key_named_by_a_vault_path_is_not_a_finding() -> None:
    assert run_rule("secret", "aws_secret_access_key = vault:secret/payments/aws\n") == []
