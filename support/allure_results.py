"""What every Allure result gets before it is written, under either runner: secrets masked, failures sorted.

Both allure-pytest-bdd and allure-behave hand each finished result to the `report_result` hook
of allure_commons, and each attachment to `report_attached_data` / `report_attached_file`; the
plugin here sits in front of (results) and behind (attachments) their file writer, so no
configured WebSocket token reaches allure-results/ whoever wrote it (our evidence, captured logs,
an exception message, a step parameter). `install()` once per process; `register_secret()` for
each value that must never appear.

Verdicts are left as the runners give them: an AssertionError is the tracker breaking the
contract (`failed`), whatever the step's keyword -- a Given that waits for the tracker to show
a trade observes the tracker as much as a Then does; any other error is the suite's or the
machine's (`broken`). categories.json (support/allure_metadata.py) sorts them from there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

import allure_commons
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import (
    Label,
    Parameter,
    Status,
    StatusDetails,
    TestResult,
    TestStepResult,
)

from support.tags import AREAS

MASK = "***"
_secrets: set[str] = set()
_lock = threading.Lock()
_PLUGIN_NAME = "vn30-result-hygiene"
_NOISE_PARAMETERS = frozenset({"world"})  # the scenario's world fixture: its repr says nothing
_MAX_SCRUB_BYTES = 5_000_000
_run: dict[str, str] = {}  # runner and target of this process (install())


def register_secret(value: str | None) -> None:
    """`value` is masked (***) in every attachment, parameter, label and message from now on."""
    if value and len(value) >= 4:  # a 1-3 character "secret" would mask half the report
        with _lock:
            _secrets.add(value)


def mask_secrets(text: str) -> str:
    """`text` with every registered secret replaced by ***; the longest first (a token inside another)."""
    if not _secrets:
        return text
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def install(*, runner: str, target: str) -> None:
    """Register the plugin with allure_commons (idempotent; harmless when no Allure output is asked for).

    `runner` and `target` go on every result (parameters and labels), and into its history id,
    so that one results folder can hold a whole CI run: the report then shows each scenario
    once per runner and target, each with its own verdict and history.
    A token given to the whole run (WS_AUTH_TOKEN in the environment, e.g. for a live tracker) is a secret too.
    """
    _run.update(runner=runner, target=target)
    register_secret(os.environ.get("WS_AUTH_TOKEN", "").strip())
    if not allure_commons.plugin_manager.has_plugin(_PLUGIN_NAME):
        allure_commons.plugin_manager.register(_ResultHygiene(), name=_PLUGIN_NAME)


class _ResultHygiene:
    @allure_commons.hookimpl(tryfirst=True)
    def report_result(self, result: TestResult) -> None:
        """Runs before the file logger serialises `result`: whatever we change here is what is written."""
        with contextlib.suppress(Exception):  # a tidy-up must never cost the result itself
            _drop_noise_parameters(result.steps)
            _flag_known_flaky(result)
            _label_epic_from_area(result)
        with contextlib.suppress(Exception):  # on its own: one tidy-up failing must not cost the others
            _label_run(result)
        with contextlib.suppress(Exception):  # on its own: a failing tidy-up must not skip the masking
            _scrub(result)

    @allure_commons.hookimpl(wrapper=True)
    def report_attached_data(self, body: Any, file_name: str) -> Generator[None, Any, Any]:
        result = yield
        _scrub_written(file_name)
        return result

    @allure_commons.hookimpl(wrapper=True)
    def report_attached_file(self, source: Any, file_name: str) -> Generator[None, Any, Any]:
        result = yield
        _scrub_written(file_name)
        return result


# -- secrets ---------------------------------------------------------------------------------
def _scrub(node: Any) -> None:
    """Mask secrets in every string field of an attrs model object, recursively (in place)."""
    if not _secrets:
        return
    for name in getattr(type(node), "__attrs_attrs__", ()):
        value = getattr(node, name.name)
        if isinstance(value, str):
            setattr(node, name.name, mask_secrets(value))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    value[index] = mask_secrets(item)
                else:
                    _scrub(item)
        elif value is not None:
            _scrub(value)


def _scrub_written(file_name: str) -> None:
    """An attachment the file logger has just written (captured logs, stdout): rewrite it if it holds a secret."""
    if not _secrets:
        return
    for logger in allure_commons.plugin_manager.get_plugins():
        if not isinstance(logger, AllureFileLogger):
            continue
        path = Path(logger._report_dir) / file_name
        try:
            if path.stat().st_size > _MAX_SCRUB_BYTES:
                continue
            raw = path.read_bytes()
            if any(secret.encode() in raw for secret in _secrets):
                path.write_bytes(mask_secrets(raw.decode("utf-8", errors="replace")).encode())
        except OSError:
            continue


# -- shape -----------------------------------------------------------------------------------
def _drop_noise_parameters(steps: Iterable[TestStepResult]) -> None:
    for step in steps:
        step.parameters = [p for p in step.parameters if p.name not in _NOISE_PARAMETERS]
        _drop_noise_parameters(step.steps)


def _flag_known_flaky(result: TestResult) -> None:
    """A scenario tagged @flaky that did not pass is known flaky behaviour (its own category)."""
    if result.status in (Status.FAILED, Status.BROKEN) and any(
            label.name == "tag" and label.value == "flaky" for label in result.labels):
        details = result.statusDetails or StatusDetails()
        details.flaky = True
        result.statusDetails = details


def _label_epic_from_area(result: TestResult) -> None:
    """Epics in a product owner's words ("Trading flow", not TradingFlow); a scenario without an
    @allure.label.epic tag gets its area tag as epic, so no test falls outside."""
    epics = [label for label in result.labels if label.name == "epic"]
    for label in epics:
        label.value = in_words(label.value)
    if epics:
        return
    areas = [label.value for label in result.labels if label.name == "tag" and label.value in AREAS]
    if areas:
        result.labels.append(Label(name="epic", value=in_words(areas[0])))


def _label_run(result: TestResult) -> None:
    """The runner and the target as parameters and labels, and in the history id (one per runner and target)."""
    result.parameters = list(result.parameters or [])
    if not _run or any(parameter.name == "target" for parameter in result.parameters):
        return
    for name in ("target", "runner"):
        result.parameters.append(Parameter(name=name, value=_run[name]))
        result.labels.append(Label(name=name, value=_run[name]))
    base = result.historyId or result.fullName or result.name or ""
    result.historyId = hashlib.md5(f"{base}|{_run['runner']}|{_run['target']}".encode()).hexdigest()


def in_words(name: str) -> str:
    """`TradingFlow` or `trading_flow` as a person writes it: `Trading flow`."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.replace("_", " ")).split()
    return " ".join([words[0].capitalize(), *(word.lower() for word in words[1:])]) if words else name
