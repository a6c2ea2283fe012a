"""Kept copies and content digests: the two things every writer of user files shares."""

from __future__ import annotations

import re
from pathlib import Path

from interlock.atomic_file import content_digest, keep_copy


def test_a_kept_copy_never_takes_a_name_already_used(tmp_path: Path) -> None:
    path = tmp_path / "interview.yaml"
    first = keep_copy(path, "replaced", b"one")
    second = keep_copy(path, "replaced", b"two")
    assert re.fullmatch(r"interview\.yaml\.replaced-\d{8}T\d{6}Z", first.name)
    assert second != first and second.name.startswith(first.name)
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")


def test_the_digest_names_its_algorithm_and_tells_contents_apart() -> None:
    assert content_digest(b"a").startswith("sha256:")
    assert content_digest(b"a") == content_digest(b"a") != content_digest(b"b")
