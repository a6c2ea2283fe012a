"""Credentials typed as answers: found before they are saved, and said to the person.

Answers are committed with the workspace and rendered into documents that are read
far more widely, so a key given as an answer (a token pasted where "how does it
authenticate?" was asked) is a key leaked. Every front end checks what it is about to
save with :func:`credential_warnings`, which uses the detectors of the ``secret`` rule,
and tells the person; ``interlock validate`` then fails on any credential that was kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from interlock.model.finding import masked
from interlock.validate.rules.il501_secret import credentials_in

__all__ = ["CredentialWarning", "credential_warnings"]


@dataclass(frozen=True, slots=True)
class CredentialWarning:
    """An answer that holds what looks like a credential."""

    question_id: str
    kind: str
    """The kind of credential, as the detector names it (e.g. "GitHub Token")."""
    shown: str
    """The credential, masked: its first characters only."""

    @property
    def message(self) -> str:
        """What to tell the person, without the credential itself."""
        return (
            f"{self.question_id}: this looks like a {self.kind} ({self.shown}). Answers are "
            "committed and rendered into the documents; name where the credential is "
            "stored instead (a vault path, a secret manager key)"
        )

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id", "kind", "shown", "message"}`` for the JSON front ends."""
        return {
            "id": self.question_id,
            "kind": self.kind,
            "shown": self.shown,
            "message": self.message,
        }


def credential_warnings(answers: Iterable[tuple[str, Any]]) -> list[CredentialWarning]:
    """Return a warning for each credential in the text of ``answers`` (id, value)."""
    warnings: list[CredentialWarning] = []
    for question_id, value in answers:
        for text in _texts(value):
            warnings.extend(
                CredentialWarning(question_id, found.kind, masked(found.token))
                for found in credentials_in(text)
            )
    return warnings


def _texts(value: Any) -> Iterator[str]:
    """Yield every text in an answer: a text, a list's items, an entity's fields."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
