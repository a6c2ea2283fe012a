from pathlib import Path

from interlock.errors import ConfigError, InterlockError


def test_location_names_path_line_and_column() -> None:
    error = ConfigError("unknown rule", path=Path("a/config.yaml"), line=3, column=5)
    assert str(error) == "a/config.yaml:3:5: unknown rule"
    assert InterlockError("plain").location() == ""


def test_a_url_is_kept_as_written() -> None:
    error = InterlockError("not OpenAPI", path="https://api.example.com/openapi.json", line=2)
    assert str(error) == "https://api.example.com/openapi.json:2: not OpenAPI"
