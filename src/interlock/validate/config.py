"""The validator's configuration: one frozen :class:`Config` from presets, file and flags.

Layers, lowest first, merged by :func:`load_config`:

1. each rule's own defaults (severity and options, declared in its module);
2. the preset (``draft``, ``review`` or ``production``: package data that may
   ``extends:`` one other preset and overrides only severities and options);
3. ``.interlock/config.yaml``, found by walking up from the working directory (or
   given with ``--config``): preset, per-rule settings, include/exclude globs,
   document-kind overrides per glob, custom regex rules, ``fail_on``, ``min_score``;
4. command-line flags (``--preset``, ``--fail-on``, ``--min-score``).

Every mistake (unknown rule, unknown option, an option or list item of the wrong
type, a bad severity, a regex that does not compile or uses syntax the linear-time
engine lacks (see :mod:`interlock.validate.user_patterns`), a value outside a rule's
fixed set) is a :class:`~interlock.errors.ConfigError` naming file and line, raised while
loading: the rules' own option checks (``check_options``, see
:mod:`interlock.validate.rule`) run here, on the values each layer sets, so a bad
option never reaches a rule checking a spec.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interlock import __version__
from interlock.documents.model import DocumentKind
from interlock.errors import ConfigError, InputError, YamlError
from interlock.model.finding import Severity
from interlock.regular_file import read_regular_text
from interlock.safe_yaml import YamlDocument, load_yaml
from interlock.validate.registry import Rule, all_rules, find_rule
from interlock.validate.user_patterns import Pattern, PatternError, compile_pattern
from interlock.workspace.root import CONFIG_NAME, WORKSPACE_DIR, find_config, find_root

MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a page of settings; anything larger is a mistake, not read."""

_M = TypeVar("_M", bound=BaseModel)

PRESETS = ("draft", "review", "production")
FAIL_ON_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
"""The severities ``fail_on`` and ``--fail-on`` take (``off`` would only repeat ``info``)."""
DEFAULT_PRESET = "review"
DEFAULT_INCLUDE = ("**/*.md",)
DEFAULT_EXCLUDE = ("**/node_modules/**", "**/.git/**", "**/.venv/**", "**/.interlock/**")


class _RuleSettingModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: Severity | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class _CustomRuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    pattern: str
    message: str
    severity: Severity = Severity.WARNING
    fix: str = ""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compile_pattern(value)
        except PatternError as error:
            raise ValueError(f"pattern does not compile: {error}") from None
        return value


class _ConfigFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    preset: str | None = None
    include: list[str] | None = None
    exclude: list[str] | None = None
    fail_on: Severity | None = None
    min_score: float | None = Field(default=None, ge=0, le=100)
    rules: dict[str, bool | Severity | _RuleSettingModel] = Field(default_factory=dict)
    types: dict[str, DocumentKind] = Field(default_factory=dict)
    custom_rules: list[_CustomRuleModel] = Field(default_factory=list)


class _PresetModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    extends: str | None = None
    rules: dict[str, bool | Severity | _RuleSettingModel] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleSetting:
    """A rule's effective severity and options for this run."""

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CustomRule:
    """A team's own regex rule from the config file."""

    code: str
    name: str
    pattern: Pattern
    message: str
    severity: Severity
    fix: str


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the runner needs to know, merged and checked."""

    preset: str
    root: Path
    """The workspace root: the folder holding ``.interlock/``, else the working directory."""
    settings: tuple[RuleSetting, ...]
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    types: tuple[tuple[str, DocumentKind], ...] = ()
    custom_rules: tuple[CustomRule, ...] = ()
    fail_on: Severity = Severity.ERROR
    min_score: float | None = None
    source: Path | None = None
    """The config file read, if any."""
    fingerprint: str = field(default="")
    """A hash of everything that changes findings, for the cache key."""

    def setting(self, name: str) -> RuleSetting | None:
        """Return the setting of rule ``name`` (code, name or alias)."""
        rule = find_rule(name)
        if rule is None:
            return None
        return next((item for item in self.settings if item.rule is rule), None)

    def enabled(self) -> tuple[RuleSetting, ...]:
        """Return the settings of every rule that is not off."""
        return tuple(item for item in self.settings if item.severity is not Severity.OFF)


def load_config(
    start: Path,
    *,
    preset: str | None = None,
    config_file: Path | None = None,
    fail_on: Severity | None = None,
    min_score: float | None = None,
) -> Config:
    """Merge rule defaults, the preset, the config file and flags into a :class:`Config`.

    Raises:
        ConfigError: the config file or a preset is invalid, or a flag names an
            unknown preset.
    """
    found = config_file if config_file is not None else find_config(start)
    if config_file is not None and config_file.is_dir():
        raise ConfigError(
            "this is a folder, not a config file",
            path=config_file,
            hint=f"name the file itself, e.g. --config {config_file / 'config.yaml'}",
        )
    if config_file is not None and not config_file.exists():
        raise ConfigError(f"config file {config_file} does not exist", path=config_file)
    # The config found in a workspace is the workspace's own: a link out of it is not
    # followed. One named with --config is the person's choice and read as named.
    within = found.parent.parent.resolve() if found is not None and config_file is None else None
    file_model, document = (
        _read_config(found, within) if found is not None else (_ConfigFileModel(), None)
    )
    if found is not None and found.parent.name == WORKSPACE_DIR:
        root = found.parent.parent
    else:
        root = find_root(start) or start
    chosen = preset or file_model.preset or DEFAULT_PRESET
    if chosen not in PRESETS:
        raise ConfigError(
            f"unknown preset {chosen!r}; choose one of {', '.join(PRESETS)}",
            path=found if preset is None else None,
            line=document.line_of(("preset",)) if document is not None and preset is None else None,
        )
    severities: dict[str, Severity] = {rule.name: rule.severity for rule in all_rules()}
    options: dict[str, dict[str, Any]] = {rule.name: dict(rule.options) for rule in all_rules()}
    for preset_model, preset_doc, preset_path in _preset_chain(chosen):
        _apply(preset_model.rules, severities, options, preset_doc, preset_path)
    if document is not None and found is not None:
        _apply(file_model.rules, severities, options, document, found)
    settings = tuple(
        RuleSetting(rule, severities[rule.name], options[rule.name]) for rule in all_rules()
    )
    custom = tuple(
        CustomRule(
            code=f"IL9{index:02d}",
            name=item.name,
            pattern=compile_pattern(item.pattern),
            message=item.message,
            severity=item.severity,
            fix=item.fix or "edit the text the custom rule matched",
        )
        for index, item in enumerate(file_model.custom_rules, start=1)
    )
    _check_custom_names(custom, found)
    config = Config(
        preset=chosen,
        root=root.resolve(),
        settings=settings,
        include=tuple(file_model.include) if file_model.include is not None else DEFAULT_INCLUDE,
        exclude=tuple(file_model.exclude) if file_model.exclude is not None else DEFAULT_EXCLUDE,
        types=tuple(file_model.types.items()),
        custom_rules=custom,
        fail_on=fail_on or file_model.fail_on or Severity.ERROR,
        min_score=min_score if min_score is not None else file_model.min_score,
        source=found,
    )
    return _with_fingerprint(config)


def preset_names() -> tuple[str, ...]:
    """Return the names of the built-in presets."""
    return PRESETS


def preset_severities(name: str) -> dict[str, Severity]:
    """Return each rule's severity under preset ``name``, without any config file."""
    severities = {rule.name: rule.severity for rule in all_rules()}
    options: dict[str, dict[str, Any]] = {rule.name: dict(rule.options) for rule in all_rules()}
    for model, document, path in _preset_chain(name):
        _apply(model.rules, severities, options, document, path)
    return severities


def _read_config(path: Path, within: Path | None) -> tuple[_ConfigFileModel, YamlDocument]:
    try:
        text = read_regular_text(
            path, max_bytes=MAX_CONFIG_BYTES, what="config file", within=within
        )
    except InputError as error:
        raise ConfigError(error.message, path=path, hint=error.hint) from None
    try:
        document = load_yaml(text, path=path)
    except YamlError as error:
        raise ConfigError(error.message, path=path, line=error.line, column=error.column) from None
    value = document.value if document.value is not None else {}
    if not isinstance(value, dict):
        raise ConfigError("the config file must be a mapping of settings", path=path, line=1)
    return _validated(_ConfigFileModel, value, document, path), document


def _validated(model: type[_M], value: dict[str, Any], document: YamlDocument, path: Path) -> _M:
    value = _with_severities(value, document, path)
    try:
        return model.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        where = tuple(part for part in first["loc"] if isinstance(part, (str, int)))
        place = ".".join(str(part) for part in where) or "(top level)"
        raise ConfigError(
            f"{place}: {first['msg']}",
            path=path,
            line=document.line_of(where),
            hint=_hint_for(where),
        ) from None


def describe_unknown_severity(given: object, allowed: Sequence[Severity] = tuple(Severity)) -> str:
    """Return why ``given`` is not a severity: the valid ones, and the likeliest meant."""
    names = [severity.value for severity in allowed]
    shown = (
        f"{str(given).lower()} (how YAML reads a bare {'on or yes' if given else 'off or no'})"
        if isinstance(given, bool)
        else repr(given)
    )
    message = f"unknown severity {shown}; the severities are {', '.join(names)}"
    guess = _closest_severity(given, names)
    return message + (f" (did you mean {guess!r}?)" if guess else "")


_SEVERITY_WORDS = {
    "critical": "error",
    "fatal": "error",
    "high": "error",
    "medium": "warning",
    "low": "info",
    "note": "info",
    "notice": "info",
    "none": "off",
    "disable": "off",
    "disabled": "off",
    "ignore": "off",
}
"""Words other linters use for a severity, and the one of ours they mean."""


def _closest_severity(given: object, names: Sequence[str]) -> str | None:
    if not isinstance(given, str) or not given.strip():
        return None
    folded = given.strip().casefold()
    if folded in names:
        return folded  # Warning, ERROR
    if _SEVERITY_WORDS.get(folded) in names:
        return _SEVERITY_WORDS[folded]
    # warn, err, information: a severity begun, or one with more after it
    begun = [name for name in names if name.startswith(folded) or folded.startswith(name)]
    if len(begun) == 1:
        return begun[0]
    close = difflib.get_close_matches(folded, names, n=1, cutoff=0.6)
    return close[0] if close else None


def _with_severities(value: dict[str, Any], document: YamlDocument, path: Path) -> dict[str, Any]:
    """Check every severity a config or preset sets before its schema does.

    Returns ``value`` with each severity as a :class:`Severity` (a YAML bare ``off``,
    read as false, included), so that a mistake is reported here with its line, the
    valid severities and the one likely meant, rather than as a schema error.
    """
    checked = dict(value)
    if checked.get("fail_on") is not None:
        line = document.line_of(("fail_on",))
        checked["fail_on"] = _severity(
            checked["fail_on"], FAIL_ON_SEVERITIES, line, path, where="fail_on"
        )
    if isinstance(checked.get("rules"), dict):
        checked["rules"] = {
            key: _rule_value(str(key), setting, document, path)
            for key, setting in checked["rules"].items()
        }
    if isinstance(checked.get("custom_rules"), list):
        custom = []
        for index, item in enumerate(checked["custom_rules"]):
            if isinstance(item, dict) and "severity" in item:
                line = document.line_of(("custom_rules", index, "severity"))
                where = f"custom rule {item.get('name') or index + 1}"
                severity = _severity(item["severity"], tuple(Severity), line, path, where=where)
                item = {**item, "severity": severity}
            custom.append(item)
        checked["custom_rules"] = custom
    return checked


def _rule_value(key: str, setting: Any, document: YamlDocument, path: Path) -> Any:
    line = document.line_of(("rules", key))
    if isinstance(setting, bool):
        return setting  # YAML 1.1 reads a bare off as false and on as true
    if isinstance(setting, str):
        return _severity(setting, tuple(Severity), line, path, where=f"rule {key}")
    if isinstance(setting, dict):
        unknown = [str(name) for name in setting if name not in ("severity", "options")]
        if unknown:
            raise ConfigError(
                f"rule {key}: unknown setting {unknown[0]!r}",
                path=path,
                line=document.line_of(("rules", key, unknown[0])),
                hint="a rule's mapping has a severity and options: "
                "{severity: warning, options: {…}}",
            )
        if not isinstance(setting.get("options", {}), dict):
            raise ConfigError(
                f"rule {key}: options must be a mapping of option to value",
                path=path,
                line=document.line_of(("rules", key, "options")),
                hint="'interlock rules NAME' lists a rule's options",
            )
        if setting.get("severity") is not None:
            at = document.line_of(("rules", key, "severity"))
            severity = _severity(
                setting["severity"], tuple(Severity), at, path, where=f"rule {key}"
            )
            setting = {**setting, "severity": severity}
        return setting
    got = "nothing" if setting is None else _type_name(type(setting))
    raise ConfigError(
        f"rule {key}: expected a severity or a mapping, not {got}",
        path=path,
        line=line,
        hint=_hint_for(("rules",)),
    )


def _severity(
    given: Any, allowed: Sequence[Severity], line: int, path: Path, *, where: str
) -> Severity:
    """Return ``given`` as a severity, or raise ConfigError saying what ``where`` takes."""
    if given is False and Severity.OFF in allowed:
        return Severity.OFF  # YAML 1.1 reads a bare off as false
    if isinstance(given, str) and given in tuple(allowed):
        return Severity(given)
    raise ConfigError(f"{where}: {describe_unknown_severity(given, allowed)}", path=path, line=line)


def _hint_for(where: tuple[str | int, ...]) -> str:
    if where and where[0] == "rules":
        return "each rule is 'off', 'info', 'warning', 'error' or {severity: …, options: {…}}"
    if where and where[0] == "types":
        kinds = ", ".join(kind.value for kind in DocumentKind)
        return f"document kinds: {kinds}"
    return "see docs/configuration.md for every setting"


def _preset_chain(name: str) -> list[tuple[_PresetModel, YamlDocument, Path]]:
    chain: list[tuple[_PresetModel, YamlDocument, Path]] = []
    current: str | None = name
    while current is not None:
        if current not in PRESETS:
            raise ConfigError(f"unknown preset {current!r}")
        resource = resources.files("interlock.validate.presets").joinpath(f"{current}.yaml")
        path = Path(str(resource))
        document = load_yaml(resource.read_text(encoding="utf-8"), path=path)
        model = _validated(_PresetModel, document.value or {}, document, path)
        chain.append((model, document, path))
        current = model.extends
        if len(chain) > 2:
            raise ConfigError("a preset may extend at most one other preset", path=path)
    chain.reverse()
    return chain


def _apply(
    rules: Mapping[str, bool | Severity | _RuleSettingModel],
    severities: dict[str, Severity],
    options: dict[str, dict[str, Any]],
    document: YamlDocument,
    path: Path,
) -> None:
    for key, setting in rules.items():
        rule = find_rule(key)
        line = document.line_of(("rules", key))
        if rule is None:
            raise ConfigError(
                f"unknown rule {key!r}",
                path=path,
                line=line,
                hint="'interlock rules' lists every rule name and code",
            )
        if isinstance(setting, bool):
            # YAML 1.1 reads a bare `off` as false and `on` as true.
            severities[rule.name] = rule.severity if setting else Severity.OFF
            continue
        if isinstance(setting, Severity):
            severities[rule.name] = setting
            continue
        if setting.severity is not None:
            severities[rule.name] = setting.severity
        where = ("rules", key, "options")
        for option, value in setting.options.items():
            _check_option(rule, option, value, path, document, (*where, option))
            options[rule.name][option] = value
        if setting.options:
            _check_with_rule(rule, options[rule.name], setting.options, path, document, where)


def _check_option(
    rule: Rule,
    option: str,
    value: Any,
    path: Path,
    document: YamlDocument,
    where: tuple[str, ...],
) -> None:
    line = document.line_of(where)
    if option not in rule.options:
        known = ", ".join(sorted(rule.options)) or "none"
        raise ConfigError(
            f"rule {rule.name} has no option {option!r} (its options: {known})",
            path=path,
            line=line,
        )
    default = rule.options[option]
    expected = type(default)
    if not _is_a(value, expected):
        raise ConfigError(
            f"option {option!r} of rule {rule.name} must be {_type_name(expected)}, "
            f"not {_type_name(type(value))}",
            path=path,
            line=line,
        )
    if isinstance(default, list):
        # Every list option of a built-in rule holds text unless its default says otherwise.
        item_type = type(default[0]) if default else str
        for index, item in enumerate(value):
            if not _is_a(item, item_type):
                raise ConfigError(
                    f"item {index + 1} of option {option!r} of rule {rule.name} must be "
                    f"{_type_name(item_type)}, not {_type_name(type(item))}",
                    path=path,
                    line=document.line_of((*where, index)),
                )


def _check_with_rule(
    rule: Rule,
    merged: Mapping[str, Any],
    given: Mapping[str, Any],
    path: Path,
    document: YamlDocument,
    where: tuple[str, ...],
) -> None:
    """Run the rule's own option checks and report the first problem in what was given."""
    for problem in rule.option_problems(merged):
        if problem.option not in given:
            continue  # set by a lower layer, which was checked when it was applied
        place: tuple[str | int, ...] = (*where, problem.option)
        if problem.item is not None:
            place = (*place, problem.item)
        raise ConfigError(
            f"option {problem.option!r} of rule {rule.name}: {problem.message}",
            path=path,
            line=document.line_of(place),
            hint=problem.hint,
        )


def _is_a(value: Any, expected: type) -> bool:
    if isinstance(value, bool) and expected is not bool:
        return False  # YAML's true/false are not numbers here
    if expected is float:
        return isinstance(value, (int, float))
    return isinstance(value, expected)


def _type_name(kind: type) -> str:
    return {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }.get(kind, kind.__name__)


def _check_custom_names(custom: tuple[CustomRule, ...], path: Path | None) -> None:
    seen: set[str] = set()
    for rule in custom:
        if find_rule(rule.name) is not None or rule.name in seen:
            raise ConfigError(
                f"custom rule name {rule.name!r} is already taken; choose another", path=path
            )
        seen.add(rule.name)


def _with_fingerprint(config: Config) -> Config:
    material = {
        "version": __version__,
        "preset": config.preset,
        "settings": [
            [item.rule.code, item.severity.value, _jsonable(item.options)]
            for item in config.settings
        ],
        "types": [[glob, kind.value] for glob, kind in config.types],
        "custom": [
            [rule.name, rule.pattern.pattern, rule.message, rule.severity.value, rule.fix]
            for rule in config.custom_rules
        ],
    }
    digest = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]
    return replace(config, fingerprint=digest)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


__all__ = [
    "CONFIG_NAME",
    "DEFAULT_PRESET",
    "FAIL_ON_SEVERITIES",
    "PRESETS",
    "Config",
    "CustomRule",
    "RuleSetting",
    "describe_unknown_severity",
    "load_config",
    "preset_names",
    "preset_severities",
]
