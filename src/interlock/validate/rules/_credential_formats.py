"""Credential formats detect-secrets does not know, as detect-secrets plugins.

Each is a regular expression built from the vendor's documented token format:
GitHub fine-grained personal access tokens (``github_pat_``), OpenAI project, service
account and admin keys (``sk-proj-``, ``sk-svcacct-``, ``sk-admin-``), Google API keys
(``AIza``), and AWS secret access keys assigned without quotes
(``aws_secret_access_key = …``; detect-secrets finds only quoted ones). The ``secret``
rule offers them beside the library's own, by class name, and runs them by default.
detect-secrets is imported only when a spec is first checked, so this module is too.
"""

from __future__ import annotations

import re

from detect_secrets.plugins.base import RegexBasedDetector

__all__ = ["PLUGINS"]


class GitHubFineGrainedTokenDetector(RegexBasedDetector):
    """``github_pat_``, 22 characters, ``_``, 59 characters."""

    secret_type = "GitHub Fine-Grained Token"
    denylist = (re.compile(r"\bgithub_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}\b"),)


class OpenAIProjectKeyDetector(RegexBasedDetector):
    """``sk-proj-``, ``sk-svcacct-`` or ``sk-admin-`` and at least 40 characters."""

    secret_type = "OpenAI Project Key"
    denylist = (re.compile(r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"),)


class GoogleApiKeyDetector(RegexBasedDetector):
    """``AIza`` and 35 characters."""

    secret_type = "Google API Key"
    denylist = (re.compile(r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),)


class AWSSecretAccessKeyDetector(RegexBasedDetector):
    """40 characters of base64 assigned to a name such as ``aws_secret_access_key``."""

    secret_type = "AWS Secret Access Key"
    denylist = (
        re.compile(
            r"(?i)aws_?secret(?:_?access)?_?key\W{0,3}\s*[:=]\s*"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
        ),
    )


PLUGINS: tuple[type[RegexBasedDetector], ...] = (
    AWSSecretAccessKeyDetector,
    GitHubFineGrainedTokenDetector,
    GoogleApiKeyDetector,
    OpenAIProjectKeyDetector,
)
