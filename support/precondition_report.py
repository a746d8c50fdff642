"""The run's preconditions where people look: the top of the terminal output, and a result of its own in Allure."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import allure_commons
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import (
    Label,
    Status,
    StatusDetails,
    TestResult,
    TestStepResult,
)

from support.conformance import Conformance, describe_clock

TITLE = "Preconditions of the run"
_STATUS = {"passed": Status.PASSED, "failed": Status.FAILED, "broken": Status.BROKEN, "not checked": Status.SKIPPED}


def print_summary(conformance: Conformance, target: str, write: Callable[[str], None]) -> None:
    """Every finding on one line each, then, when one failed, what every scenario will cite."""
    write(f"{TITLE} on target {target!r} ({conformance.took_s:.1f} s):")
    for line in conformance.summary():
        write("  " + line)
    if failure := conformance.failure():
        write(f"  => every scenario fails at once: {failure.citation()}")


def report_to_allure(conformance: Conformance, *, runner: str, target: str) -> None:
    """One Allure result, "Preconditions of the run", a step per finding; nothing without an Allure logger."""
    if not any(isinstance(plugin, AllureFileLogger) for plugin in allure_commons.plugin_manager.get_plugins()):
        return
    now = int(time.time() * 1000)
    start = now - int(conformance.took_s * 1000)
    failure = conformance.failure()
    steps = [TestStepResult(name=f"{finding.name} [{finding.rule}]", status=_STATUS[finding.status],
                            statusDetails=StatusDetails(message=f"seen: {finding.seen}\nexpected: {finding.expected}"),
                            start=start, stop=now)
             for finding in conformance.findings]
    steps.append(TestStepResult(name=f"clock: {describe_clock(conformance)}", status=Status.PASSED, start=now, stop=now))
    if conformance.skipped:
        status, message = Status.SKIPPED, conformance.skipped
    elif failure:
        status, message = _STATUS[failure.status], failure.citation()
    else:
        status, message = Status.PASSED, None
    result = TestResult(
        uuid=str(uuid.uuid4()), historyId=f"preconditions-{runner}-{target}", name=TITLE,
        fullName=f"{TITLE} ({runner}, {target})", status=status,
        statusDetails=StatusDetails(message=message) if message else None, steps=steps, start=start, stop=now,
        labels=[Label(name="epic", value="Preconditions"), Label(name="feature", value=TITLE),
                Label(name="severity", value="blocker"), Label(name="suite", value="Preconditions"),
                Label(name="framework", value=runner), Label(name="tag", value=f"target:{target}")])
    allure_commons.plugin_manager.hook.report_result(result=result)
