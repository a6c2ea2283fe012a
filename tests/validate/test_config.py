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
        ("rules:\n  empty-section: loud\n", 2, "rule empty-section: unknown severity 'loud'"),
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
        (
            "custom_rules:\n  - name: twice\n    message: m\n    pattern: '(a)\\1'\n",
            4,
            "pattern does not compile: invalid escape sequence: \\1; RE2, which runs configured "
            "patterns in linear time, lacks backreferences",
        ),
        ("min_score: 140\n", 1, "min_score"),
        ("- a\n- b\n", 1, "must be a mapping"),
        (
            "rules:\n  required-field:\n    options:\n      fields:\n        - id\n        - 7\n",
            6,
            "item 2 of option 'fields' of rule required-field must be a string, not a whole number",
        ),
        (
            "rules:\n  unchecked-item:\n    options: {sections: [Checklist, [nested]]}\n",
            3,
            "item 2 of option 'sections' of rule unchecked-item must be a string, not a list",
        ),
        (
            "rules:\n  content-length:\n    options:\n      min_words: true\n",
            4,
            "option 'min_words' of rule content-length must be a whole number, not true or false",
        ),
        (
            "rules:\n  dangling-link:\n    options:\n      ignore:\n        - '^JIRA-\\d+$'\n"
            "        - '*wild'\n",
            6,
            "option 'ignore' of rule dangling-link: '*wild' is not a regular expression",
        ),
        (
            "rules:\n  dependency-cycle:\n    options:\n      relations: [parents]\n",
            4,
            "'parents' is not one of parent, dependencies, related",
        ),
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
        "regex-re2-lacks",
        "score-range",
        "not-a-mapping",
        "list-item-type",
        "list-item-type-in-flow-style",
        "bool-for-number",
        "option-regex",
        "option-enum",
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


def test_option_problems_come_with_the_rules_hint(tmp_path: Path) -> None:
    root = workspace(tmp_path, "rules:\n  secret:\n    options:\n      allow: ['[a-']\n")
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert caught.value.line == 4
    assert "regular expressions" in caught.value.hint


def test_good_options_are_kept_for_the_rules(tmp_path: Path) -> None:
    root = workspace(
        tmp_path,
        "rules:\n  dependency-cycle:\n    options: {relations: [dependencies, parent]}\n"
        "  required-section:\n    options:\n      sections:\n"
        "        integration-spec: [Overview and Context]\n        plan.md: [Success Criteria]\n",
    )
    config = load_config(root)
    cycle, sections = config.setting("dependency-cycle"), config.setting("required-section")
    assert cycle is not None and cycle.options["relations"] == ["dependencies", "parent"]
    assert sections is not None and set(sections.options["sections"]) == {
        "integration-spec",
        "plan.md",
    }


@pytest.mark.parametrize("preset", ["review", "production"])
def test_review_and_production_make_saying_nothing_an_error(preset: str) -> None:
    severities = preset_severities(preset)
    assert severities["required-section"] is Severity.ERROR
    assert severities["content-length"] is Severity.ERROR


def test_draft_keeps_saying_nothing_a_warning() -> None:
    severities = preset_severities("draft")
    assert severities["required-section"] is Severity.WARNING
    assert severities["content-length"] is Severity.WARNING


SEVERITIES = "the severities are error, warning, info, off"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "rules:\n  empty-section: warn\n",
            2,
            f"rule empty-section: unknown severity 'warn'; {SEVERITIES} (did you mean 'warning'?)",
        ),
        (
            "rules:\n  empty-section:\n    severity: critical\n",
            3,
            f"rule empty-section: unknown severity 'critical'; {SEVERITIES} "
            "(did you mean 'error'?)",
        ),
        (
            "rules:\n  IL203: {severity: Info}\n",
            2,
            f"rule IL203: unknown severity 'Info'; {SEVERITIES} (did you mean 'info'?)",
        ),
        (
            "rules:\n  empty-section: information\n",
            2,
            f"rule empty-section: unknown severity 'information'; {SEVERITIES} "
            "(did you mean 'info'?)",
        ),
        (
            "rules:\n  empty-section: purple\n",
            2,
            f"rule empty-section: unknown severity 'purple'; {SEVERITIES}",
        ),
        (
            "preset: review\nfail_on: warn\n",
            2,
            "fail_on: unknown severity 'warn'; the severities are error, warning, info "
            "(did you mean 'warning'?)",
        ),
        (
            "fail_on: 'off'\n",
            1,
            "fail_on: unknown severity 'off'; the severities are error, warning, info",
        ),
        (
            "custom_rules:\n  - name: host\n    pattern: 'localhost'\n    message: m\n"
            "    severity: err\n",
            5,
            f"custom rule host: unknown severity 'err'; {SEVERITIES} (did you mean 'error'?)",
        ),
        (
            "rules:\n  empty-section: 3\n",
            2,
            "rule empty-section: expected a severity or a mapping, not a whole number",
        ),
        (
            "rules:\n  empty-section:\n",
            2,
            "rule empty-section: expected a severity or a mapping, not nothing",
        ),
        (
            "rules:\n  empty-section:\n    severity: warning\n    level: error\n",
            4,
            "rule empty-section: unknown setting 'level'",
        ),
    ],
    ids=[
        "warn",
        "critical-in-a-mapping",
        "capitalised",
        "information",
        "no-likely-one",
        "fail-on-warn",
        "fail-on-off",
        "custom-rule",
        "a-number",
        "nothing",
        "unknown-setting",
    ],
)
def test_an_unknown_severity_is_named_with_the_valid_ones(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    root = workspace(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert caught.value.location() == f"{root / '.interlock' / 'config.yaml'}:{line}"
    assert caught.value.message == message


def test_a_bare_off_in_a_rule_mapping_disables_it(tmp_path: Path) -> None:
    root = workspace(tmp_path, "rules:\n  empty-section: {severity: off}\n")
    setting = load_config(root).setting("empty-section")
    assert setting is not None and setting.severity is Severity.OFF
