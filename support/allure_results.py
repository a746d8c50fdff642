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
import functools
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterable
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
_BEHAVE_ARGUMENTS = {".table": "Data table", ".text": "Doc string"}  # allure-behave's names -> allure-pytest-bdd's
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
    _masking_file_logger()
    if not allure_commons.plugin_manager.has_plugin(_PLUGIN_NAME):
        allure_commons.plugin_manager.register(_ResultHygiene(), name=_PLUGIN_NAME)


class _ResultHygiene:
    @allure_commons.hookimpl(tryfirst=True)
    def report_result(self, result: TestResult) -> None:
        """Runs before the file logger serialises `result`: whatever we change here is what is written."""
        with contextlib.suppress(Exception):  # a tidy-up must never cost the result itself
            _drop_noise_parameters(result.steps)
            _name_step_arguments(result.steps)
            _flag_known_flaky(result)
            _label_epic_from_area(result)
        with contextlib.suppress(Exception):  # on its own: one tidy-up failing must not cost the others
            _label_run(result)
        with contextlib.suppress(Exception):  # on its own: a failing tidy-up must not skip the masking
            _scrub(result)



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


def _mask_bytes(raw: bytes) -> bytes:
    """`raw` with every registered secret replaced, byte for byte: text and binary alike, any size."""
    for secret in sorted(_secrets, key=len, reverse=True):
        raw = raw.replace(secret.encode(), MASK.encode())
    return raw


def _masking_file_logger() -> None:
    """Make Allure's file logger mask secrets in attachments before it writes them (once per process).

    The logger writes what the runner hands it (captured logs and stdout among it), so the mask
    goes in front of its two attachment writers; already registered loggers are registered anew
    so that pluggy binds the masking methods.
    """
    if getattr(AllureFileLogger, "_vn30_masking", False):
        return
    write_data: Callable[..., None] = AllureFileLogger.report_attached_data
    copy_file: Callable[..., None] = AllureFileLogger.report_attached_file

    @functools.wraps(write_data)
    def report_attached_data(self: AllureFileLogger, body: Any, file_name: str) -> None:
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        write_data(self, _mask_bytes(raw) if _secrets else body, file_name)

    @functools.wraps(copy_file)
    def report_attached_file(self: AllureFileLogger, source: Any, file_name: str) -> None:
        if not _secrets:
            copy_file(self, source, file_name)
            return
        write_data(self, _mask_bytes(Path(source).read_bytes()), file_name)

    AllureFileLogger.report_attached_data = report_attached_data  # type: ignore[method-assign]
    AllureFileLogger.report_attached_file = report_attached_file  # type: ignore[method-assign]
    AllureFileLogger._vn30_masking = True  # type: ignore[attr-defined]
    for logger in [p for p in allure_commons.plugin_manager.get_plugins() if isinstance(p, AllureFileLogger)]:
        name = allure_commons.plugin_manager.get_name(logger)
        allure_commons.plugin_manager.unregister(logger)
        allure_commons.plugin_manager.register(logger, name=name)


# -- shape -----------------------------------------------------------------------------------
def _drop_noise_parameters(steps: Iterable[TestStepResult]) -> None:
    for step in steps:
        step.parameters = [p for p in step.parameters if p.name not in _NOISE_PARAMETERS]
        _drop_noise_parameters(step.steps)


def _name_step_arguments(steps: Iterable[TestStepResult]) -> None:
    """A step's data table and doc string under allure-pytest-bdd's names ("Data table"), not allure-behave's (".table")."""
    for step in steps:
        for attachment in step.attachments:
            attachment.name = _BEHAVE_ARGUMENTS.get(attachment.name, attachment.name)
        _name_step_arguments(step.steps)


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
