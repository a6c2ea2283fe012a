"""A credential pasted into a spec: cloud key, API token, private key, password in a URL.

Specs are committed, reviewed and copied around; a real credential in one is leaked.
The rule runs the detectors of the detect-secrets library over every line (code blocks
and comments included) and reports each secret at its line and column. The message
names the kind of secret and shows only its first four characters; every other
finding of the file that quotes the secret masks it too.

The interviews' answers files (``specs/NAME/interview.yaml``) are read by this rule
alone: a credential typed as an answer is committed with them, and rendered into the
documents.

By default it uses the detectors of specific credential formats: AWS (access key ids,
and secret keys quoted or not), Azure storage, GitHub (classic and fine-grained
tokens), GitLab, Google API keys, Slack (tokens and webhooks), Stripe, Twilio,
SendGrid, Mailchimp, npm, PyPI, OpenAI (including project keys), Discord, Telegram,
Square, Artifactory, IBM Cloud, SoftLayer, Cloudant, JSON Web Tokens, private key
blocks and ``user:password@`` in URLs. The entropy detectors
(``Base64HighEntropyString``, ``HexHighEntropyString``) and ``KeywordDetector`` are
off by default, because specs are full of ids, UUIDs, commit hashes and sample
payloads (``"password": "string"``) that they report; so is ``IPPublicDetector``,
since an allow-listed egress IP is not a credential. Choose the detectors with the
``plugins`` option (detect-secrets class names).

Values that are obviously examples are not reported: those matching an ``allow``
pattern (by default anything containing "example", "dummy", "xxxx", "your-"...), and
those detect-secrets itself filters out (``{templated}`` values, UUIDs, sequences such
as ``ABCDEF123456``).

Fails::

    - **Base URL**: https://payments:S3cr3tPa55w0rd@api.internal.example.net/v1
    - **API key**: AKIAZ7QF3M4XJ2LPRT6N

Passes::

    - **Base URL**: https://api.internal.example.net/v1
    - **API key**: read at start-up from Vault, path secret/payments/stripe
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from interlock.documents.model import Document
from interlock.interview.files import INTERVIEW_FILE
from interlock.model.finding import Problem, Severity, masked
from interlock.validate import user_patterns
from interlock.validate.rule import OptionProblem
from interlock.validate.rules import _option_checks

if TYPE_CHECKING:
    from detect_secrets.plugins.base import BasePlugin

ID = "IL501"
NAME = "secret"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {
    "plugins": [
        "AWSKeyDetector",
        "AWSSecretAccessKeyDetector",
        "ArtifactoryDetector",
        "AzureStorageKeyDetector",
        "BasicAuthDetector",
        "CloudantDetector",
        "DiscordBotTokenDetector",
        "GitHubFineGrainedTokenDetector",
        "GitHubTokenDetector",
        "GitLabTokenDetector",
        "GoogleApiKeyDetector",
        "IbmCloudIamDetector",
        "IbmCosHmacDetector",
        "JwtTokenDetector",
        "MailchimpDetector",
        "NpmDetector",
        "OpenAIDetector",
        "OpenAIProjectKeyDetector",
        "PrivateKeyDetector",
        "PypiTokenDetector",
        "SendGridDetector",
        "SlackDetector",
        "SoftlayerDetector",
        "SquareOAuthDetector",
        "StripeDetector",
        "TelegramBotTokenDetector",
        "TwilioKeyDetector",
    ],
    "allow": [
        r"(?i)example|sample|dummy|fake|placeholder|redacted|changeme|your[-_]",
        r"(?i)x{4,}|\*{4,}|0{8,}",
        r"(?i)^(?:pass(?:word)?|secret|token)$",
    ],
}
FIX = "remove the credential and revoke it; name where it is stored instead (e.g. a vault path)"
KINDS = None
SCOPE = "document"

_PREFILTERED = frozenset(OPTIONS["plugins"])
"""Detectors whose secrets always hold a 20-character token or a marker below, so
lines without one are skipped; any other detector reads every line."""
_MIN_TOKEN = 20
_TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_+=-")
_RUN = b"a" * _MIN_TOKEN
_SLUG = re.compile(rb"[-=+_]+|[a-z0-9]{1,16}(?:-[a-z0-9]{1,16})+")
"""Ids, slugs and UUIDs: lower-case words joined by dashes. No default detector's
secret has this shape (their tokens hold capitals, underscores or long segments).
Identifiers joined by underscores are not passed over: a GitHub, Telegram or IBM
token may be letters and underscores only."""


@dataclass(frozen=True, slots=True)
class _Detector:
    """A detect-secrets plugin, created once, and how to call it."""

    plugin: BasePlugin
    prefiltered: bool
    """Its secrets always stand on a line :func:`_candidate_lines` returns."""
    plain: bool
    """The plugin's ``analyze_line`` adds nothing to the values ``analyze_string``
    yields, so the cheaper call is used."""


def check_options(options: Mapping[str, Any]) -> Iterator[OptionProblem]:
    """Report unknown detector names and ``allow`` patterns that do not compile."""
    plugins = [name for name in options["plugins"] if isinstance(name, str)]
    if any(name not in _PREFILTERED for name in plugins):
        # Only a name outside the defaults needs detect-secrets' own list (~100 ms).
        yield from _option_checks.choice_problems("plugins", plugins, sorted(_plugin_classes()))
    yield from _option_checks.pattern_problems("allow", options["allow"])


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    where = "the answers" if doc.path.name == INTERVIEW_FILE else "the spec"
    for credential in _credentials(doc.text, doc.lines, doc.path.as_posix(), options):
        yield Problem(
            credential.line,
            credential.column,
            f"{credential.kind} in {where}: {masked(credential.token)}",
            redact=credential.token,
        )


class Credential(NamedTuple):
    """A credential found in a text: where it starts, what kind it is, the whole token."""

    line: int
    column: int
    kind: str
    token: str


def credentials_in(text: str) -> list[Credential]:
    """Return the credentials the rule's default detectors find in ``text``.

    For front ends that check what a person types (an interview answer) before it is
    saved, with the same detectors and ``allow`` patterns as a spec gets by default.
    """
    lines = tuple(text.split("\n"))
    return list(_credentials(text, lines, "answer", OPTIONS))


def _credentials(
    text: str, lines: Sequence[str], path: str, options: Mapping[str, Any]
) -> Iterator[Credential]:
    detectors = _detectors(tuple(options["plugins"]))
    allow = _allow_patterns(tuple(options["allow"]))
    candidates = _candidate_lines(text)
    everywhere = [detector for detector in detectors if not detector.prefiltered]
    numbers = range(1, len(lines) + 1) if everywhere else sorted(candidates)
    for number in numbers:
        line = lines[number - 1]
        active = detectors if number in candidates else everywhere
        if active and line.strip(" |:-"):
            yield from _scan(line, number, active, allow, path)


def _scan(
    line: str,
    number: int,
    detectors: Sequence[_Detector],
    allow: tuple[user_patterns.Pattern, ...],
    path: str,
) -> Iterator[Credential]:
    found: dict[str, str] = {}
    for detector in detectors:
        for value in _values(detector, line, path):
            if value not in found and _is_reportable(value, line, detector, allow):
                found[value] = detector.plugin.secret_type
    credentials = []
    for value, kind in found.items():
        start, token = _whole_token(line, value)
        credentials.append(Credential(number, start + 1, kind, token))
    yield from sorted(credentials, key=lambda credential: credential.column)


def _whole_token(line: str, value: str) -> tuple[int, str]:
    """Return where ``value`` starts on ``line``, and the token it begins.

    Some detectors yield only the start of a match (the GitHub one yields ``ghp``); the
    message masks the whole token, which is no less hidden.
    """
    start = max(line.find(value), 0)
    end = start + len(value)
    while end < len(line) and line[end] in _TOKEN_CHARACTERS:
        end += 1
    return start, line[start:end]


def _values(detector: _Detector, line: str, path: str) -> Iterator[str]:
    if detector.plain:
        yield from detector.plugin.analyze_string(line)
        return
    for secret in detector.plugin.analyze_line(filename=path, line=line):
        if secret.secret_value:
            yield secret.secret_value


def _is_reportable(
    value: str, line: str, detector: _Detector, allow: tuple[user_patterns.Pattern, ...]
) -> bool:
    from detect_secrets.filters import heuristic
    from detect_secrets.plugins.base import RegexBasedDetector

    if any(pattern.search(value) for pattern in allow):
        return False
    if (
        heuristic.is_sequential_string(value)
        or heuristic.is_potential_uuid(value)
        or heuristic.is_templated_secret(value)
        or heuristic.is_not_alphanumeric_string(value)
        or heuristic.is_likely_id_string(value, line, detector.plugin)
    ):
        return False
    # Indirect references (``key = get_key()``) are a keyword heuristic: a token in a
    # known format is a secret wherever it stands.
    return isinstance(detector.plugin, RegexBasedDetector) or not (
        heuristic.is_prefixed_with_dollar_sign(value) or heuristic.is_indirect_reference(line)
    )


def _token_table() -> bytes:
    """Return a ``bytes.translate`` table: token characters to ``a``, newlines kept."""
    table = bytearray(b" " * 256)
    table[ord("\n")] = ord("\n")
    for character in _TOKEN_CHARACTERS:
        table[ord(character)] = ord("a")
    return bytes(table)


_TOKEN_TABLE = _token_table()


def _candidate_lines(text: str) -> set[int]:
    """Return the lines that may hold a secret a prefiltered detector can find.

    A line qualifies when it holds a run of 20 token characters that is not a slug, a
    private key header, the word "aws" (an AWS secret key may be cut by ``/``), or a
    URL with ``@`` (a password in a URL may be short). Every token character is mapped
    to ``a``, so ``bytes.find`` spots the runs: a regular expression scan of a 12 KB
    document costs more than this whole rule may spend.
    """
    encoded = text.encode("utf-8")
    masked = encoded.translate(_TOKEN_TABLE)
    offsets: list[int] = []
    at = masked.find(_RUN)
    while at != -1:
        end = min(_find_or_end(masked, b" ", at), _find_or_end(masked, b"\n", at))
        if _SLUG.fullmatch(encoded, at, end):
            at = masked.find(_RUN, end)
            continue
        offsets.append(at)
        at = masked.find(_RUN, _find_or_end(masked, b"\n", end))
    offsets.extend(_offsets(encoded, b"PRIVATE KEY"))
    offsets.extend(_offsets(encoded.lower(), b"aws"))
    offsets.extend(
        at
        for at in _offsets(encoded, b"://")
        if encoded.find(b"@", at, _find_or_end(encoded, b"\n", at)) != -1
    )
    lines: set[int] = set()
    line, counted = 1, 0
    for at in sorted(offsets):
        line += encoded.count(b"\n", counted, at)
        counted = at
        lines.add(line)
    return lines


def _offsets(data: bytes, needle: bytes) -> Iterator[int]:
    at = data.find(needle)
    while at != -1:
        yield at
        at = data.find(needle, at + len(needle))


def _find_or_end(data: bytes, needle: bytes, start: int) -> int:
    at = data.find(needle, start)
    return len(data) if at == -1 else at


@lru_cache(maxsize=1)
def _plugin_classes() -> dict[str, type[BasePlugin]]:
    """Return every detect-secrets plugin class by its name.

    Importing detect-secrets costs tens of milliseconds (it brings ``requests``), so it
    happens on first use rather than when the rule registry loads.
    """
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    from interlock.validate.rules._credential_formats import PLUGINS

    classes: dict[str, type[BasePlugin]] = {}
    plugin: type[BasePlugin]
    for plugin in (*get_mapping_from_secret_type_to_class().values(), *PLUGINS):
        classes[plugin.__name__] = plugin
    return classes


@lru_cache(maxsize=8)
def _detectors(names: tuple[str, ...]) -> tuple[_Detector, ...]:
    """Create the detect-secrets plugins once per process (names are checked on load)."""
    from detect_secrets.plugins.base import BasePlugin

    classes = _plugin_classes()
    return tuple(
        _Detector(
            plugin,
            prefiltered=name in _PREFILTERED,
            plain=type(plugin).analyze_line is BasePlugin.analyze_line,
        )
        for name in names
        for plugin in (classes[name](),)
    )


@lru_cache(maxsize=8)
def _allow_patterns(patterns: tuple[str, ...]) -> tuple[user_patterns.Pattern, ...]:
    return user_patterns.compile_patterns(patterns)
