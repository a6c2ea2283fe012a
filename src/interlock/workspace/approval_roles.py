"""The roles that must approve an integration, as the interview names them.

The answer to :data:`APPROVERS_QUESTION` lists the roles, one per item; an approval is
recorded in one of them, named exactly, ignoring case and spacing, or by its slug.
Both the ``approval`` rule and ``interlock approve`` read the roles from here.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from interlock.errors import InputError, StoreError, UsageError
from interlock.interview.files import INTERVIEW_FILE
from interlock.interview.values import entity_key
from interlock.regular_file import read_regular_file

if TYPE_CHECKING:
    from interlock.interview.answers import AnswerSheet

__all__ = [
    "APPROVERS_QUESTION",
    "match_role",
    "read_required_roles",
    "required_roles",
    "role_key",
]

APPROVERS_QUESTION = "consumers.approvers"
"""The question whose answer names the roles that must approve."""


def required_roles(sheet: AnswerSheet) -> tuple[str, ...] | None:
    """Return the roles that must approve, one per item of the approvers answer.

    ``None`` when the question is unanswered or skipped (an open question); an empty
    tuple when the answer names nobody. Items are folded to one line, and an item
    named twice (ignoring case and spacing) counts once.
    """
    answer = sheet.answers.get(APPROVERS_QUESTION)
    if answer is None or answer.skipped or answer.value is None:
        return None
    values = [answer.value] if isinstance(answer.value, str) else list(answer.value)
    roles: list[str] = []
    seen: set[str] = set()
    for value in values:
        text = " ".join(str(value).split())
        if text and role_key(text) not in seen:
            seen.add(role_key(text))
            roles.append(text)
    return tuple(roles)


def match_role(given: str, required: Sequence[str]) -> str:
    """Return the required role ``given`` names: exactly, ignoring case and spacing, or
    by its slug (``security-team`` for ``Security team``).

    Raises:
        UsageError: it names none of them; the message suggests the nearest.
    """
    key = role_key(given)
    for role in required:
        if role_key(role) == key:
            return role
    slug = entity_key(given)
    by_slug = [role for role in required if entity_key(role) == slug]
    if len(by_slug) == 1:
        return by_slug[0]
    keys = {role_key(role): role for role in required}
    near = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.5)
    guess = f"; did you mean {keys[near[0]]!r}?" if near else ""
    raise UsageError(
        f"{given!r} is not a role that must approve this integration{guess}",
        hint="the roles are the interview's answer to consumers.approvers: "
        + ", ".join(repr(role) for role in required),
    )


def role_key(text: str) -> str:
    """Return ``text`` as roles are compared: case folded, spacing made single."""
    return " ".join(text.casefold().split())


def read_required_roles(folder: Path, *, within: Path | None = None) -> tuple[str, ...] | None:
    """Return the roles the answers file in ``folder`` requires (see :func:`required_roles`).

    Raises:
        InputError: the answers file is missing or does not load.
    """
    # Loaded here, not with the module: the validator imports this module for the
    # approval rule, and most runs never read an answers file.
    from interlock.interview.answers_file import MAX_ANSWERS_BYTES, parse_sheet_allowing_edits

    path = folder / INTERVIEW_FILE
    raw, _ = read_regular_file(
        path, max_bytes=MAX_ANSWERS_BYTES, what="the answers file", within=within
    )
    try:
        sheet, _ = parse_sheet_allowing_edits(raw, path)
    except StoreError as error:
        raise InputError(error.message, path=path, line=error.line, hint=error.hint) from None
    return required_roles(sheet)
