"""What changed between two snapshots of a system's document, and what it breaks.

Running ``interlock research`` again on a newer document of a system compares the
facts read now with the snapshot written last time (:mod:`.snapshot`), for the
operations the integration uses (all of them when it has not said). Each
:class:`Change` says whether it breaks a client that works today, by the table in
docs/research.md:

=====================================================  ===========
change                                                 breaking?
=====================================================  ===========
an operation removed (or moved: same operationId)      yes
a new required parameter, or one that became required  yes
a new required body field, or one that became required yes
the authentication of an operation changed             yes
a security scheme removed or changed                   yes
a success response (2xx) no longer documented          yes
a base URL removed                                     yes
an operation newly deprecated                          no
a new operation, parameter or response                 no
a new optional body field                              no
a parameter, body field or error response removed      no
=====================================================  ===========
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "compare_snapshots"]


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """One difference between the old snapshot and the new facts."""

    breaking: bool
    subject: str
    """``METHOD /path``, a security scheme's name, or ``servers``."""
    what: str
    """What changed, in words."""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"subject", "change", "breaking"}``."""
        return {"subject": self.subject, "change": self.what, "breaking": self.breaking}


def compare_snapshots(
    old: Mapping[str, Any], new: Mapping[str, Any], *, used: Collection[str] | None = None
) -> list[Change]:
    """Return the changes from snapshot ``old`` to ``new``, breaking ones first.

    Args:
        used: the labels (``METHOD /path``) of the operations the integration uses;
            ``None`` compares every operation of the old snapshot.
    """
    changes = [
        *_operation_changes(old, new, used),
        *_scheme_changes(old, new),
        *_server_changes(old, new),
    ]
    return sorted(changes, key=lambda change: (not change.breaking, change.subject, change.what))


def _operation_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], used: Collection[str] | None
) -> Iterator[Change]:
    before, after = _operations(old), _operations(new)
    by_id = {op.get("operation_id"): label for label, op in after.items() if op.get("operation_id")}
    moved_to: set[str] = set()
    for label, was in before.items():
        now = after.get(label)
        moved = by_id.get(was.get("operation_id")) if now is None else None
        if moved is not None and moved not in before:
            moved_to.add(moved)
        if used is not None and label not in used:
            continue
        if now is None:
            yield Change(True, label, f"moved to {moved}" if moved in moved_to else "removed")
            continue
        yield from _parameter_changes(label, was, now)
        yield from _body_changes(label, was, now)
        yield from _response_changes(label, was, now)
        if _security(was) != _security(now):
            yield Change(True, label, "its authentication changed")
        if now.get("deprecated") and not was.get("deprecated"):
            yield Change(False, label, "deprecated")
    if used is None:
        for label in sorted(after.keys() - before.keys() - moved_to):
            yield Change(False, label, "new operation")


def _parameter_changes(
    label: str, was: Mapping[str, Any], now: Mapping[str, Any]
) -> Iterator[Change]:
    before, after = _parameters(was), _parameters(now)
    for key, parameter in after.items():
        old = before.get(key)
        required = bool(parameter.get("required"))
        if old is None:
            if required:
                yield Change(True, label, f"new required {_named(key)}")
            else:
                yield Change(False, label, f"new optional {_named(key)}")
        elif required and not old.get("required"):
            yield Change(True, label, f"{_named(key)} became required")
    for key in before.keys() - after.keys():
        yield Change(False, label, f"{_named(key)} removed")


def _body_changes(label: str, was: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
    if "body_required" not in was:  # a snapshot written before bodies were read
        return
    required_before, required_after = _names(was, "body_required"), _names(now, "body_required")
    before = required_before | _names(was, "body_optional")
    after = required_after | _names(now, "body_optional")
    for name in sorted(required_after - required_before):
        if name in before:
            yield Change(True, label, f"body field {name!r} became required")
        else:
            yield Change(True, label, f"new required body field {name!r}")
    for name in sorted(after - before - required_after):
        yield Change(False, label, f"new optional body field {name!r}")
    for name in sorted(before - after):
        yield Change(False, label, f"body field {name!r} removed")


def _names(operation: Mapping[str, Any], key: str) -> set[str]:
    value = operation.get(key)
    return {str(name) for name in value} if isinstance(value, list) else set()


def _response_changes(
    label: str, was: Mapping[str, Any], now: Mapping[str, Any]
) -> Iterator[Change]:
    before, after = _statuses(was), _statuses(now)
    for status in sorted(before - after):
        success = status.startswith("2")
        yield Change(success, label, f"response {status} no longer documented")
    for status in sorted(after - before):
        yield Change(False, label, f"new response {status}")


def _scheme_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    before, after = _schemes(old), _schemes(new)
    for key, scheme in before.items():
        now = after.get(key)
        if now is None:
            yield Change(True, key, "security scheme removed")
        elif _scheme_shape(now) != _scheme_shape(scheme):
            yield Change(True, key, "security scheme changed")


def _server_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    before, after = _urls(old), _urls(new)
    for url in sorted(before - after):
        yield Change(True, "servers", f"base URL {url} removed")
    for url in sorted(after - before):
        yield Change(False, "servers", f"new base URL {url}")


def _operations(snapshot: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {
        f"{op.get('method', '')} {op.get('path', '')}": op
        for op in _list(snapshot.get("operations"))
    }


def _parameters(operation: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    return {
        (str(item.get("location", "")), str(item.get("name", ""))): item
        for item in _list(operation.get("parameters"))
    }


def _statuses(operation: Mapping[str, Any]) -> set[str]:
    return {str(item.get("status", "")) for item in _list(operation.get("responses"))}


def _security(operation: Mapping[str, Any]) -> Any:
    value = operation.get("security")
    return None if value is None else sorted(sorted(alternative) for alternative in value)


def _schemes(snapshot: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(item.get("key", "")): item for item in _list(snapshot.get("auth"))}


def _scheme_shape(scheme: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a client depends on: the kind of scheme and where the credential goes."""
    return tuple(
        scheme.get(name) for name in ("type", "location", "parameter", "http_scheme", "openid_url")
    )


def _urls(snapshot: Mapping[str, Any]) -> set[str]:
    return {str(item.get("url", "")) for item in _list(snapshot.get("servers"))}


def _named(key: tuple[str, str]) -> str:
    location, name = key
    return f"{location} parameter {name!r}"


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
