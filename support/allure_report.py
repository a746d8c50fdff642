"""Evidence for the Allure report from either runner: attachments, and labels from Gherkin tags."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import allure
import allure_commons
from allure_commons import plugin_manager
from allure_commons.mapping import parse_tag
from allure_commons.model2 import Label, Link, Parameter
from allure_commons.types import AttachmentType, LabelType
from allure_commons.utils import represent

from support import allure_results, contract, traceability

SEVERITY_PREFIX = "severity:"
RULE_LABEL = "rule"  # one label per contract rule a scenario verifies: what a product owner groups by
_state = threading.local()


@dataclass(frozen=True)
class TagMeaning:
    """What an Allure-style tag stands for: a label (name, value) or a link (type, name, url)."""

    kind: str  # "label" or "link"
    name: str
    value: str
    link_type: str = ""


def tag_meaning(tag: str) -> TagMeaning | None:
    """The label or link an Allure-style tag maps to, or None for a plain tag (a pytest marker).

    `@severity:critical` is the suite's own spelling; `@allure.label.epic:X` and
    `@allure.link.<name>:<url>` follow allure_commons.mapping.parse_tag, as allure-behave does.
    """
    if tag.startswith(SEVERITY_PREFIX):
        return TagMeaning("label", LabelType.SEVERITY, tag[len(SEVERITY_PREFIX):])
    if not tag.startswith("allure."):
        return None
    parsed = parse_tag(tag)  # type: ignore[no-untyped-call]
    if isinstance(parsed, Link):
        return TagMeaning("link", str(parsed.name), str(parsed.url), str(parsed.type))
    if isinstance(parsed, Label) and parsed.name != LabelType.TAG:
        return TagMeaning("label", str(parsed.name), str(parsed.value))
    return None


def rule_meanings(rule_id: str) -> list[TagMeaning]:
    """What @rule:<id> stands for in the report, from either runner: a `rule` label, the tag itself, a link to the rule."""
    return [TagMeaning("label", RULE_LABEL, rule_id),
            TagMeaning("label", LabelType.TAG, f"{traceability.PREFIX}{rule_id}"),
            TagMeaning("link", rule_id, contract.rule_url(rule_id), "link")]


def labels_of(tags: Iterable[str]) -> list[TagMeaning]:
    return [meaning for tag in tags if (meaning := tag_meaning(tag)) is not None]


def story_of(rule_name: str | None, outline_name: str | None) -> str | None:
    """A scenario's story: its Rule, else its Scenario Outline (plain scenarios have none).

    An outline's name is shown without its placeholders' brackets ("A trade at <price>" reads
    "A trade at price"), and a name that was nothing but placeholders ("Volume spike: <case>")
    keeps its words: the report never shows a `<...>`.
    """
    if rule_name:
        return rule_name
    if not outline_name:
        return None
    heading = re.sub(r"\s*:\s*<[^<>]+>$", "", outline_name)  # "Volume spike: <case>" is the "Volume spike" story
    return re.sub(r"<([^<>]+)>", lambda found: found[1].replace("_", " "), heading).strip() or None


# -- attachments ---------------------------------------------------------------------------
@contextlib.contextmanager
def only_last_attachments() -> Iterator[None]:
    """Inside the block, keep only the latest attachment of each name and attach those at the end."""
    outer = getattr(_state, "held", None)
    held: dict[str, tuple[str, Any]] = {}
    _state.held = held
    try:
        yield
    finally:
        _state.held = outer
        for name, (body, kind) in held.items():
            _attach(body, name, kind)


def attach_text(name: str, body: str) -> None:
    _hold_or_attach(body, name, AttachmentType.TEXT)


def attach_json(name: str, data: Any) -> None:
    _hold_or_attach(json.dumps(data, indent=2, ensure_ascii=False, default=str), name, AttachmentType.JSON)


@contextlib.contextmanager
def unreported() -> Iterator[None]:
    """Inside the block, this thread's attachments are dropped: a tracker started ahead of need (a spare,
    support/targets/pool.py) belongs to no scenario yet, and Allure would file them under the running one."""
    _state.dropping = True
    try:
        yield
    finally:
        _state.dropping = False


def _hold_or_attach(body: str, name: str, kind: Any) -> None:
    if getattr(_state, "dropping", False):
        return
    held: dict[str, tuple[str, Any]] | None = getattr(_state, "held", None)
    if held is not None:
        held[name] = (body, kind)
    else:
        _attach(body, name, kind)


def _attach(body: str, name: str, kind: Any) -> None:
    """Evidence is best effort: no current test (no Allure, a hook) or a failing writer never fails a step.

    Secrets are masked here already, so a configured token is never written, not even for a moment.
    """
    with contextlib.suppress(Exception):  # evidence must not change a scenario's outcome
        allure.attach(allure_results.mask_secrets(body), name=allure_results.mask_secrets(name),
                      attachment_type=kind)


def _behave_listener() -> Any:
    try:
        from allure_behave.listener import AllureListener  # type: ignore[import-untyped]
    except ImportError:
        return None
    return next((p for p in plugin_manager.get_plugins() if isinstance(p, AllureListener)), None)


def report_behave_rules(feature: Any) -> None:
    """allure-behave 2.16 reports only a feature's direct scenarios: report those inside `Rule:` too."""
    if _behave_listener() is None:
        return
    for rule in getattr(feature, "rules", []):
        for scenario in rule.walk_scenarios():
            if not getattr(scenario, "_reported_to_allure", False):
                scenario.run = allure_commons.test(  # type: ignore[no-untyped-call]
                    scenario.run, context={"scenario": scenario})
                scenario._reported_to_allure = True


def label_behave_test(labels: list[tuple[str, str]]) -> None:
    """Set labels on allure-behave's current test result (it has no add_label hook); no-op without it.

    The `tag` labels allure-behave made of @severity:* tags go: the severity label says it.
    """
    listener = _behave_listener()
    result = listener.logger.get_test(None) if listener is not None else None
    if result is None:
        return
    names = {name for name, _ in labels}
    result.labels = [label for label in result.labels if label.name not in names
                     and not (label.name == LabelType.TAG and str(label.value).startswith(SEVERITY_PREFIX))]
    result.labels.extend(Label(name=name, value=value) for name, value in labels)


def trace_behave_test(rule_ids: Iterable[str]) -> None:
    """Give allure-behave's current test the rule labels, tags and links allure-pytest-bdd gets; no-op without it.

    allure-behave reads the tags of the feature and the scenario only, not those of a `Rule:`, and
    makes no `rule` label or link of any: the rule's meanings replace whatever it made of them.
    """
    listener = _behave_listener()
    result = listener.logger.get_test(None) if listener is not None else None
    if result is None:
        return
    meanings = [meaning for rule_id in rule_ids for meaning in rule_meanings(rule_id)]
    result.labels = [label for label in result.labels if label.name != RULE_LABEL
                     and not (label.name == LabelType.TAG and str(label.value).startswith(traceability.PREFIX))]
    result.labels.extend(Label(name=m.name, value=m.value) for m in meanings if m.kind == "label")
    urls = {m.value for m in meanings if m.kind == "link"}
    result.links = [link for link in result.links if link.url not in urls]
    result.links.extend(Link(type=m.link_type, url=m.value, name=m.name) for m in meanings if m.kind == "link")


def parameterize_behave_step(parameters: dict[str, Any]) -> None:
    """Show a behave step's placeholder values as Allure step parameters, as allure-pytest-bdd does."""
    listener = _behave_listener()
    if listener is None or not parameters:
        return
    step = listener.logger.get_item(listener.current_step_uuid)
    if step is None:
        return
    step.parameters = [Parameter(name=name, value=allure_results.mask_secrets(str(represent(value))))  # type: ignore[no-untyped-call]
                       for name, value in parameters.items()]
