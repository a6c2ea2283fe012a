from pathlib import Path

import pytest

from interlock.errors import ConfigError
from interlock.model.finding import Severity
from interlock.validate.config import load_config, preset_severities


def workspace(tmp_path: Path, config: str | None) -> Path:
    (tmp_path / ".interlock").mkdir()
    if config is not None:
        (tmp_path / ".interlock" / "config.yaml").write_text(config, encoding="utf-8")
    return tmp_path


def test_defaults_without_a_workspace(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.preset == "review"
    assert config.fail_on is Severity.ERROR
    assert config.source is None
    empty = config.setting("empty-section")
    assert empty is not None and empty.severity is Severity.WARNING


def test_config_is_found_walking_up(tmp_path: Path) -> None:
    root = workspace(tmp_path, "preset: draft\nfail_on: warning\nmin_score: 75\n")
    deep = root / "specs" / "payments"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert (config.preset, config.fail_on, config.min_score) == ("draft", Severity.WARNING, 75)
    assert config.root == root.resolve()


def test_flags_override_the_file(tmp_path: Path) -> None:
    root = workspace(tmp_path, "preset: draft\n")
    config = load_config(root, preset="production", fail_on=Severity.INFO, min_score=90)
    assert (config.preset, config.fail_on, config.min_score) == ("production", Severity.INFO, 90)


def test_bare_off_disables_a_rule_found_by_code(tmp_path: Path) -> None:
    root = workspace(tmp_path, "rules:\n  empty-section: off\n")
    setting = load_config(root).setting("IL203")
    assert setting is not None and setting.severity is Severity.OFF


def test_rule_severity_and_options_mapping(tmp_path: Path) -> None:
    root = workspace(tmp_path, "rules:\n  IL203:\n    severity: error\n")
    setting = load_config(root).setting("empty-section")
    assert setting is not None and setting.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("rules:\n  no-such-rule: error\n", 2, "unknown rule 'no-such-rule'"),
        ("rules:\n  empty-section: loud\n", 2, "rules.empty-section"),
        ("preset: strict\n", 1, "unknown preset 'strict'"),
        ("rules:\n  empty-section:\n    options:\n      depth: 3\n", 4, "has no option 'depth'"),
        ("colour: red\n", 1, "colour"),
        ("rules: [\n", 2, "invalid YAML"),
        ("types:\n  'docs/**': pdf\n", 2, "types.docs/**"),
        (
            "custom_rules:\n  - name: host\n    pattern: '(unclosed'\n    message: m\n",
            3,
            "pattern does not compile",
        ),
        ("min_score: 140\n", 1, "min_score"),
        ("- a\n- b\n", 1, "must be a mapping"),
    ],
    ids=[
        "unknown-rule",
        "bad-severity",
        "bad-preset",
        "unknown-option",
        "unknown-setting",
        "syntax",
        "bad-kind",
        "bad-regex",
        "score-range",
        "not-a-mapping",
    ],
)
def test_config_errors_name_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    root = workspace(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert caught.value.path == root / ".interlock" / "config.yaml"
    assert caught.value.line == line
    assert words in caught.value.message


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path, config_file=tmp_path / "nope.yaml")


def test_custom_rule_names_must_be_new(tmp_path: Path) -> None:
    root = workspace(
        tmp_path,
        "custom_rules:\n  - name: empty-section\n    pattern: x\n    message: m\n",
    )
    with pytest.raises(ConfigError, match="already taken"):
        load_config(root)


def test_fingerprint_changes_with_settings(tmp_path: Path) -> None:
    first = load_config(tmp_path).fingerprint
    root = workspace(tmp_path, "rules:\n  empty-section: info\n")
    assert load_config(root).fingerprint != first


def test_presets_order_by_strictness() -> None:
    draft, review, production = (
        preset_severities(name) for name in ("draft", "review", "production")
    )
    assert set(draft) == set(review) == set(production)
    for name in review:
        assert draft[name].rank <= review[name].rank <= production[name].rank, name
    assert production["unchecked-item"] is Severity.ERROR
    assert review["placeholder"] is Severity.ERROR
