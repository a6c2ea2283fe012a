"""Build the :class:`~interlock.model.integration.Integration` an answer sheet describes.

The interview engine decides which questions apply to the sheet and where each one
stands; this module reads the answers of the built-in integration bank by question
id and turns them into the model's facts: choices become their labels, lists their
items, endpoint lines :class:`Endpoint` values. A question that applies but is
skipped or not answered yet becomes an :class:`OpenQuestion`, in asking order, with
the owner and reason given when it was skipped. A question that does not apply
leaves its fact ``None``. A team's own bank may drop questions: their facts are then
``None`` too, and the documents leave those lines out.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank, Option
from interlock.interview.compiled import CompiledBank, compiled_bank
from interlock.interview.engine import Engine
from interlock.interview.state import Asked, Status, Walk
from interlock.interview.store import check_integration_name
from interlock.interview.values import entity_key
from interlock.model.integration import (
    Alternative,
    Criticality,
    Decision,
    Endpoint,
    Fact,
    Facts,
    Integration,
    OpenQuestion,
    RetryPolicy,
    System,
    SystemKind,
)
from interlock.model.spec_meta import Priority
from interlock.render.markdown_escape import normalise_text

__all__ = ["build_integration", "parse_endpoint"]

_NOT_ANSWERED = "not answered yet"
_METHOD = re.compile(r"([A-Za-z]{3,10})\s+(\S+)\s*(.*)", re.DOTALL)
_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_PURPOSE = re.compile(r"^\s*(?:[-–—:]+)\s*")
_PURPOSE_SPLIT = re.compile(r"\s+[-–—]+\s+|:\s+")


def build_integration(sheet: AnswerSheet, bank: Bank) -> Integration:
    """Return the integration ``sheet`` describes, read with ``bank``'s questions.

    Raises:
        StoreError: the sheet's name cannot name an integration (it is not a slug).
    """
    check_integration_name(sheet.name)
    answers = _Answers(sheet, bank)
    systems = answers.systems()
    priority = answers.value("problem.priority")
    return Integration(
        name=sheet.name,
        title=_title(sheet.name),
        priority=Priority(priority) if priority in set(Priority) else Priority.MEDIUM,
        summary=answers.text("problem.summary"),
        problem=answers.text("problem.why"),
        existing=answers.label("problem.existing"),
        replaces_existing=answers.value("problem.existing") in ("replace", "extend"),
        goals=answers.items("problem.goals"),
        consumers=answers.items("consumers.systems"),
        approvers=answers.items("consumers.approvers"),
        agreements=answers.text("consumers.agreements"),
        in_scope=answers.items("scope.operations"),
        out_of_scope=answers.items("scope.excluded"),
        pattern=answers.label("scope.pattern"),
        direction=answers.label("scope.direction"),
        mapping=answers.text("scope.mapping"),
        systems=systems,
        contract=answers.label("design.contract"),
        published=answers.endpoints("design.endpoints"),
        caller_auth=answers.label("design.caller_auth"),
        versioning=answers.label("design.versioning"),
        migration_path=answers.label("compat.migration_path"),
        deprecation=answers.text("compat.deprecation"),
        schema_change=answers.label("data.schema_change"),
        migration=answers.label("data.migration"),
        backfill=answers.text("data.backfill"),
        rehearsal=answers.text("data.rehearsal"),
        latency_ms=answers.number("constraints.latency"),
        throughput=answers.number("constraints.throughput"),
        availability=answers.label("constraints.availability"),
        compliance=answers.labels("constraints.compliance"),
        data_class=answers.label("constraints.data_class"),
        network=answers.text("constraints.network"),
        secrets_storage=answers.label("secrets.storage"),
        secrets_rotation=answers.text("secrets.rotation"),
        partial_failure=answers.label("edge.partial_failure"),
        duplicates=answers.label("edge.duplicates"),
        format_change=answers.label("edge.format_change"),
        test_doubles=answers.labels("testing.doubles"),
        staging=answers.text("testing.staging"),
        load_testing=answers.label("testing.load"),
        environments=answers.text("testing.environments"),
        dashboards=answers.labels("metrics.watch"),
        alerts=answers.text("metrics.alerts"),
        sla_tracking=answers.label("metrics.sla"),
        health_check=answers.boolean("metrics.health"),
        logging=answers.text("metrics.logging"),
        rollout=answers.label("rollout.strategy"),
        rollback=answers.label("rollout.rollback"),
        parallel_run=answers.label("rollout.parallel"),
        phases=answers.items("rollout.phases"),
        feature_flag=answers.text("rollout.flag"),
        configuration=answers.items("rollout.config"),
        infrastructure=answers.items("rollout.infrastructure"),
        notes=answers.text("closing.missed"),
        decisions=answers.decisions(),
        open_questions=answers.open_questions(),
    )


def parse_endpoint(line: str) -> Endpoint:
    """Read ``POST /v1/orders - create an order`` or ``event order.paid - …``."""
    text = " ".join(normalise_text(line).split())
    method = ""
    found = _METHOD.fullmatch(text)
    if found is not None and (
        found[1].upper() in _HTTP_METHODS or found[1].casefold() in ("event", "message")
    ):
        method = "EVENT" if found[1].casefold() in ("event", "message") else found[1].upper()
        path, purpose = found[2], _PURPOSE.sub("", found[3], count=1)
    else:
        parts = _PURPOSE_SPLIT.split(text, maxsplit=1)
        path, purpose = parts[0], parts[1] if len(parts) > 1 else ""
    return Endpoint(method=method, path=path or text, purpose=purpose)


def _title(name: str) -> str:
    return " ".join(word.capitalize() for word in name.split("-"))


class _Answers:
    """The answers of one sheet, read by question id, with open questions collected."""

    def __init__(self, sheet: AnswerSheet, bank: Bank) -> None:
        self.bank = bank
        self.sheet = sheet
        self.engine = Engine(bank)
        self.compiled: CompiledBank = compiled_bank(bank)
        self.walk: Walk = self.engine.state(sheet).walk
        self.values: Mapping[str, Any] = self.walk.variables["answers"]
        self._decision_data: list[dict[str, Any]] | None = None
        self._open: dict[str, OpenQuestion] = {
            asked.id: self._open_question(asked)
            for asked in self.walk.asked
            if asked.status is not Status.ANSWERED
        }

    # -- reading one answer ------------------------------------------------------------

    def fact(self, question_id: str, key: str | None = None) -> Any:
        """Return the answer's value, its OpenQuestion, or None when it does not apply."""
        answer_id = question_id if key is None else f"{question_id}@{key}"
        if answer_id in self._open:
            return self._open[answer_id]
        return self.values.get(answer_id)

    def value(self, question_id: str, key: str | None = None) -> Any:
        """Return the answer's value, or None when it is open or does not apply."""
        found = self.fact(question_id, key)
        return None if isinstance(found, OpenQuestion) else found

    def text(self, question_id: str, key: str | None = None) -> Fact:
        found = self.fact(question_id, key)
        if found is None or isinstance(found, OpenQuestion):
            return found
        text = str(found).strip()
        return text or None

    def number(self, question_id: str, key: str | None = None) -> Any:
        found = self.fact(question_id, key)
        return found if isinstance(found, int | float | OpenQuestion) else None

    def boolean(self, question_id: str, key: str | None = None) -> bool | OpenQuestion | None:
        found = self.fact(question_id, key)
        return found if isinstance(found, bool | OpenQuestion) else None

    def label(self, question_id: str, key: str | None = None) -> Fact:
        found = self.fact(question_id, key)
        if found is None or isinstance(found, OpenQuestion):
            return found
        option = self._option(question_id, str(found))
        return option.shown_label if option is not None else str(found)

    def labels(self, question_id: str, key: str | None = None) -> Facts:
        found = self.fact(question_id, key)
        if found is None or isinstance(found, OpenQuestion):
            return found
        values = [found] if isinstance(found, str) else list(found)
        labels = []
        for value in values:
            option = self._option(question_id, str(value))
            labels.append(option.shown_label if option is not None else str(value))
        return tuple(labels)

    def items(self, question_id: str, key: str | None = None) -> Facts:
        found = self.fact(question_id, key)
        if found is None or isinstance(found, OpenQuestion):
            return found
        values = [found] if isinstance(found, str) else list(found)
        return tuple(text for text in (str(value).strip() for value in values) if text)

    def endpoints(
        self, question_id: str, key: str | None = None
    ) -> tuple[Endpoint, ...] | OpenQuestion | None:
        found = self.items(question_id, key)
        if found is None or isinstance(found, OpenQuestion):
            return found
        return tuple(parse_endpoint(line) for line in found)

    def _option(self, question_id: str, value: str) -> Option | None:
        question = self.compiled.questions.get(question_id)
        if question is None:
            return None
        return next((option for option in question.options if option.value == value), None)

    # -- systems -------------------------------------------------------------------------

    def systems(self) -> tuple[System, ...] | OpenQuestion:
        found = self.fact("systems")
        if isinstance(found, OpenQuestion):
            return found
        systems = []
        for index, record in enumerate(found or (), start=1):
            kind = SystemKind(record["kind"]) if record.get("kind") in set(SystemKind) else None
            if kind is None:
                continue
            criticality = record.get("criticality")
            systems.append(
                self._system(
                    name=" ".join(str(record["name"]).split()) or f"System {index}",
                    key=entity_key(record["name"]),
                    kind=kind,
                    owner=str(record.get("owner") or "").strip(),
                    criticality=Criticality(criticality)
                    if criticality in set(Criticality)
                    else None,
                )
            )
        return tuple(systems)

    def _system(
        self, *, name: str, key: str, kind: SystemKind, owner: str, criticality: Criticality | None
    ) -> System:
        common: dict[str, Any] = {
            "name": name,
            "slug": key,
            "kind": kind,
            "owner": owner,
            "criticality": criticality,
        }
        if kind is SystemKind.EXTERNAL_API:
            return System(**common, **self._external(key))
        if kind is SystemKind.INTERNAL_SERVICE:
            return System(
                **common,
                protocol=self.label("service.communication", key),
                endpoints=self.endpoints("service.calls", key),
                failure_handling=self.labels("service.failure", key),
            )
        if kind is SystemKind.DATABASE:
            return System(**common, tables=self.items("database.tables", key))
        if kind is SystemKind.QUEUE:
            return System(
                **common,
                topics=self.items("queue.topics", key),
                delivery=self.label("queue.delivery", key),
                failure_handling=self.labels("queue.retry", key),
                dead_letter=self.label("queue.dead_letter", key),
            )
        return System(
            **common,
            transfer=self.text("transfer.details", key),
            failure_handling=self.labels("transfer.failure", key),
        )

    def _external(self, key: str) -> dict[str, Any]:
        failure = self.fact("external.failure", key)
        retry = None
        if isinstance(failure, list) and "retry" in failure:
            retry = RetryPolicy(
                max_attempts=self.number("external.retry_attempts", key),
                backoff=self.label("external.retry_backoff", key),
            )
        return {
            "purpose": self.text("external.purpose", key),
            "sla": self.text("external.sla", key),
            "cost": self.text("external.cost", key),
            "client": self.text("external.client", key),
            "auth": self.label("external.auth", key),
            "endpoints": self.endpoints("external.endpoints", key),
            "webhooks": self.text("external.webhooks", key),
            "rate_limits": self.text("external.rate_limits", key),
            "timeout_ms": self.number("external.timeout", key),
            "failure_handling": self.labels("external.failure", key),
            "retry": retry,
            "circuit_breaker": self.text("external.breaker", key),
            "fallback": self.label("external.fallback", key),
            "sandbox": self.label("external.sandbox", key),
        }

    # -- decisions and open questions ----------------------------------------------------

    def decisions(self) -> tuple[Decision, ...]:
        found = []
        for asked in self.walk.asked:
            question = asked.question
            if asked.status is not Status.ANSWERED or not question.deep:
                continue
            value = self.values[asked.id]
            chosen_values = {value} if isinstance(value, str) else set(value)
            chosen = [_alternative(o) for o in question.options if o.value in chosen_values]
            if not chosen:
                continue
            rejected = [_alternative(o) for o in question.options if o.value not in chosen_values]
            found.append(
                Decision(
                    question=self._prompt(asked),
                    phase=self.bank.phases[asked.phase_index].title,
                    subject=_subject(asked),
                    chosen=tuple(chosen),
                    rejected=tuple(rejected),
                    note=self.sheet.answers[asked.id].reason.strip(),
                )
            )
        return tuple(found)

    def open_questions(self) -> tuple[OpenQuestion, ...]:
        return tuple(self._open.values())

    def _open_question(self, asked: Asked) -> OpenQuestion:
        answer = self.sheet.answers.get(asked.id)
        skipped = answer is not None and answer.skipped
        reason = answer.reason.strip() if skipped and answer is not None else ""
        return OpenQuestion(
            question=self._prompt(asked),
            owner=answer.owner.strip() if skipped and answer is not None else "",
            reason=reason or ("skipped without a reason" if skipped else _NOT_ANSWERED),
            phase=self.bank.phases[asked.phase_index].title,
            subject=_subject(asked),
        )

    def _prompt(self, asked: Asked) -> str:
        template = self.compiled.prompts[asked.question.id]
        lookup: Mapping[str, Any] = (
            self.walk.variables
            if asked.scope is None
            else ChainMap(dict(asked.scope), dict(self.walk.variables))
        )
        text = template.render(lookup, asked.entity, self._extra)
        return " ".join(text.split()) or asked.question.id

    def _extra(self, name: str) -> Any:
        # A bank's prompt may recap the decisions so far, as the closing round's does.
        if name != "decisions":
            return None
        if self._decision_data is None:
            self._decision_data = [d.to_dict() for d in self.engine.decisions(self.sheet)]
        return self._decision_data


def _alternative(option: Option) -> Alternative:
    return Alternative(
        label=option.shown_label,
        tradeoff=" ".join(option.tradeoff.split()),
        recommended=option.recommended,
        reason=" ".join(option.reason.split()),
    )


def _subject(asked: Asked) -> str:
    if asked.entity is None:
        return ""
    return str(asked.entity.get("name", ""))
