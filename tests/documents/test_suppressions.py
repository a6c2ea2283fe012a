from pathlib import Path

from interlock.documents.parser import parse_document
from interlock.documents.suppressions import find_suppressions


def suppressions_of(text: str):  # type: ignore[no-untyped-def]
    return find_suppressions(parse_document(text, path=Path("spec.md")))


def test_next_line_skips_blank_lines() -> None:
    found = suppressions_of(
        "# T\n\n<!-- interlock-disable-next-line placeholder -->\n\nOwner: [Name]\n"
    )
    assert found.covers(["placeholder", "IL201"], 5)
    assert not found.covers(["placeholder"], 6)
    assert not found.covers(["secret"], 5)


def test_codes_and_several_names() -> None:
    found = suppressions_of("# T\n\n<!-- interlock-disable-next-line IL201, secret -->\nx\n")
    assert found.covers(["placeholder", "il201"], 4)
    assert found.covers(["secret", "IL501"], 4)


def test_disable_until_enable() -> None:
    text = (
        "# T\n\n<!-- interlock-disable open-question -->\nTBD\nTBD\n"
        "<!-- interlock-enable open-question -->\nTBD\n"
    )
    found = suppressions_of(text)
    assert found.covers(["open-question"], 4)
    assert found.covers(["open-question"], 5)
    assert not found.covers(["open-question"], 7)


def test_disable_without_names_silences_everything_to_the_end() -> None:
    found = suppressions_of("# T\n\n<!-- interlock-disable -->\nanything\n\nmore\n")
    assert found.covers(["placeholder"], 6)
    assert found.covers(["secret"], 4)


def test_directive_inside_code_block_is_text() -> None:
    text = "# T\n\n```\n<!-- interlock-disable -->\n```\n\n[Name]\n"
    assert not suppressions_of(text)
