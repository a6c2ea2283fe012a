from interlock.cli import research as command
from interlock.research import source


def test_command_defaults_match_the_core() -> None:
    assert command.DEFAULT_MAX_MIB * 1024 * 1024 == source.DEFAULT_MAX_BYTES
    assert command.DEFAULT_TIMEOUT == source.DEFAULT_TIMEOUT
