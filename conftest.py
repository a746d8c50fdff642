"""The pytest side of the suite: options, steps, tags as markers and Allure labels, skips, the world.

Options live here because pytest reads options only from initial conftests:
  --gherkin            Gherkin-style progress (pytest-bdd's gherkin reporter, verbose)
  --target=NAME        wired (default) | live | docker   (support/targets/__init__.py)
  --sut-cmd=TEMPLATE   live: how to start a tracker, with {port}, {host}, {python}
  --sut-url=URL        live: an already running tracker (see support/targets/live.py)
  --simulator-url=URL  with --sut-url: the simulator that tracker listens to
  --sut-env K=V        live, docker: one more variable for a tracker the suite starts (repeatable)
  --clock=MECHANISM    auto (default) | control | faketime | none: how @clock scenarios move the clock
Before the first scenario the run's preconditions are checked once (support/preconditions.py)
and printed at the top; a failed one makes every scenario fail at once, citing it.
Tags: every tag of DESIGN.md is a marker (support/tags.py); Allure-style tags
(@allure.label.epic:X, @severity:critical, @allure.link.<name>:<url>) become Allure labels
and links instead. @rule:<id> (a rule of docs/CONTRACT.md the scenario verifies) becomes the
marker `rule(id=...)`, selected with -m "rule(id='classify')", plus a `rule` label, a tag and
a link in Allure; an id the contract lacks stops the run at collection, and the terminal
summary shows each rule's verdicts. Tags on an `Examples:` table bypass pytest_bdd_apply_tag
in pytest-bdd 9, so put Allure and rule tags on the feature, rule or scenario. @wip and @soak
(a whole trading day, `make soak`) are deselected unless -m names them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from support import (
    allure_metadata,
    allure_report,
    allure_results,
    precondition_cache,
    precondition_report,
    preconditions,
    processes,
    reaper,
    traceability,
)
from support.bdd import bind_pytest
from support.clock import MECHANISMS
from support.conformance import Conformance
from support.errors import ScenarioSkip
from support.tags import MARKERS, OPT_IN
from support.targets import (
    DEFAULT_TARGET,
    TARGET_NAMES,
    TargetOptions,
    parse_sut_env,
    pool,
)
from support.world import World

pytest_plugins = ["support.gherkin_output", "support.rule_summary"]
_FEATURES = Path(__file__).resolve().parent / "features"

bind_pytest()  # imports steps/*.py; step fixtures (and the undefined-step hint) land in this module

_OPTIONS = pytest.StashKey[TargetOptions]()
SOAK_TIMEOUT_S = 3600  # a longer day (SOAK_TRADES_PER_SYMBOL, SOAK_STEP_MINUTES) still fits
_FAILED = pytest.StashKey[bool]()
TERMINAL_LOG_LINES = 40  # of a failed scenario's target log, printed with its failure (all of them go to Allure)
_CONFORMANCE = pytest.StashKey[Conformance]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vn30", "VN30 acceptance suite")
    group.addoption("--gherkin", action="store_true", help="Gherkin-style progress: features, scenarios, steps")
    group.addoption("--target", choices=TARGET_NAMES, default=DEFAULT_TARGET,
                    help=f"where the tracker runs: {', '.join(TARGET_NAMES)} (default {DEFAULT_TARGET})")
    group.addoption("--sut-cmd", metavar="TEMPLATE",
                    help="live: command starting the tracker, with {port} (and {host}, {python}) placeholders")
    group.addoption("--sut-url", metavar="URL", help="live: the URL of an already running tracker")
    group.addoption("--simulator-url", metavar="URL",
                    help="with --sut-url: the SSI simulator that tracker listens to (else feed scenarios skip)")
    group.addoption("--sut-env", metavar="NAME=VALUE", action="append", default=[],
                    help="one more environment variable for a tracker the suite starts (repeat for more)")
    group.addoption("--clock", choices=MECHANISMS, default="auto",
                    help="how @clock scenarios move the tracker's clock: its test-control routes, libfaketime "
                         "from outside the process, or none (skip them); auto: test control when the tracker "
                         "answers it, else libfaketime")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if config.option.gherkin:  # before pytest-bdd's own (trylast) pytest_configure reads the flag
        config.option.verbose = max(config.option.verbose, 1)  # support/gherkin_output.py prints the Gherkin
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.addinivalue_line("markers", "allure_label: Allure label (from @allure.label.* and @severity:* tags)")
    config.addinivalue_line("markers", "allure_link: Allure link (from @allure.link.* tags)")
    config.addinivalue_line("markers", f"{traceability.MARKER}(id): a rule of docs/CONTRACT.md the scenario verifies "
                                       "(from @rule:<id>; select with -m \"rule(id='classify')\")")
    config.addinivalue_line("markers", "report: builds an Allure report and opens it in Chromium (tests/report)")
    config.stash[_OPTIONS] = _target_options(config)
    _share_preconditions(config)
    processes.install()  # SIGTERM unwinds like SIGINT: every scenario's teardown ends what it started
    allure_results.install(runner="pytest-bdd", target=config.stash[_OPTIONS].name)


def _share_preconditions(config: pytest.Config) -> None:
    """xdist's controller and workers check the run's preconditions once between them (the first one to ask),
    named by xdist's testrunuid, which the controller fixes here so that it knows it too."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        precondition_cache.share(str(workerinput["testrunuid"]))
    elif getattr(config.option, "numprocesses", None) and not config.option.collectonly:
        config.option.testrunuid = config.option.testrunuid or uuid.uuid4().hex
        precondition_cache.share(config.option.testrunuid, owner=True)


def _target_options(config: pytest.Config) -> TargetOptions:
    option = config.option
    if option.target != "live" and (option.sut_cmd or option.sut_url or option.simulator_url):
        raise pytest.UsageError("--sut-cmd, --sut-url and --simulator-url go with --target=live")
    if option.sut_cmd and "{port}" not in option.sut_cmd:
        raise pytest.UsageError(f"--sut-cmd {option.sut_cmd!r} has no {{port}} placeholder for the tracker's port")
    if option.sut_cmd and option.sut_url:
        raise pytest.UsageError("give --sut-cmd (the suite starts the tracker) or --sut-url (it runs already), not both")
    if option.clock == "faketime" and option.target == "wired":
        raise pytest.UsageError("--clock=faketime needs a tracker process of its own: the wired tracker runs inside "
                                "the test process (use --target=live or --target=docker)")
    if option.sut_env and option.sut_url:
        raise pytest.UsageError("--sut-env configures a tracker the suite starts; the one at --sut-url runs already")
    try:
        sut_env = parse_sut_env(option.sut_env)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    return TargetOptions(name=option.target, sut_cmd=option.sut_cmd, sut_url=option.sut_url,
                         simulator_url=option.simulator_url, clock=option.clock, sut_env=sut_env)


@pytest.hookimpl(trylast=True)  # after the terminal reporter's header
def pytest_sessionstart(session: pytest.Session) -> None:
    """Allure's environment, executor and categories files: after every pytest_configure, so after
    allure-pytest-bdd's --clean-alluredir emptied the folder."""
    config = session.config
    folder = getattr(config.option, "allure_report_dir", None)
    if folder and not config.option.collectonly:
        allure_metadata.write(Path(folder).resolve(), runner="pytest-bdd", options=config.stash[_OPTIONS])
    if _xdist_controller(config) and not config.option.collectonly and _runs_features(config):
        _report_preconditions(config)
    elif not config.option.collectonly and _runs_features(config):
        options = config.stash[_OPTIONS]
        if preconditions.check(options).failure() is None:  # a tracker that fails them gets no spare to wait out
            pool.warm(options)  # a process that runs scenarios: its first tracker starts while it collects


def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> bool | None:
    """Allure-style tags become Allure labels and links, rule tags a `rule` marker too (True: handled)."""
    rule_id = traceability.rule_id(tag)
    if rule_id is not None:  # its id is checked once the items exist, where the file can be named
        pytest.mark.rule(id=rule_id)(function)
        meanings = allure_report.rule_meanings(rule_id)
    elif (meaning := allure_report.tag_meaning(tag)) is not None:
        meanings = [meaning]
    else:
        return None  # pytest-bdd's default: a marker, which --strict-markers checks
    for meaning in meanings:
        if meaning.kind == "label":
            pytest.mark.allure_label(meaning.value, label_type=meaning.name)(function)
        else:
            pytest.mark.allure_link(meaning.value, name=meaning.name, link_type=meaning.link_type)(function)
    return True


@pytest.hookimpl(tryfirst=True)  # before -m deselects: an unknown rule anywhere stops the run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:  # every scenario gets its world at setup, so skips happen before any step
        if "_pytest_bdd_example" in item.fixturenames and "world" not in item.fixturenames:
            item.fixturenames.append("world")  # type: ignore[attr-defined]
    for item in items:  # a whole trading day takes minutes: more than the default timeout of pyproject.toml
        if item.get_closest_marker("soak") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SOAK_TIMEOUT_S))
    for tag in OPT_IN:  # @wip, @soak: out unless -m names them
        if tag in (config.option.markexpr or ""):
            continue
        left_out = [item for item in items if item.get_closest_marker(tag)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker(tag)]


def pytest_collection_finish(session: pytest.Session) -> None:
    """The run's preconditions, once, before the first scenario, at the top of the output and in Allure.

    Under pytest-xdist the controller collects nothing: it checks them at session start instead
    (pytest_sessionstart), and each worker checks them again, silently, for its own worlds.
    """
    config = session.config
    if config.option.collectonly or hasattr(config, "workerinput"):
        return
    if any(_is_scenario(item) for item in session.items):
        _report_preconditions(config)


def _report_preconditions(config: pytest.Config) -> None:
    """Checked and printed now; the Allure result at the session's end (xdist's workers clean the folder)."""
    options = config.stash[_OPTIONS]
    conformance = config.stash[_CONFORMANCE] = preconditions.check(options)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        precondition_report.print_summary(conformance, options.name, reporter.write_line)


def _xdist_controller(config: pytest.Config) -> bool:
    return config.pluginmanager.getplugin("dsession") is not None


def _runs_features(config: pytest.Config) -> bool:
    """The run's arguments name the features (or nothing: testpaths is features/)."""
    return not config.args or any(Path(arg.split("::")[0]).resolve().is_relative_to(_FEATURES) for arg in config.args)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    reaper.drain()  # every tracker stopped before the run reports and exits
    precondition_cache.unshare()  # the controller removes the run's shared verdict
    if not hasattr(config, "workerinput") and (conformance := config.stash.get(_CONFORMANCE, None)) is not None:
        precondition_report.report_to_allure(conformance, runner="pytest-bdd", target=config.stash[_OPTIONS].name)


def _is_scenario(item: pytest.Item) -> bool:
    return "_pytest_bdd_example" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """The Allure story: the scenario's Rule, else its Scenario Outline (read by allure-pytest-bdd next)."""
    template = next((t for t in feature.scenarios.values() if t.line_number == scenario.line_number), None)
    outline = template.name if template is not None and template.examples else None
    story = allure_report.story_of(scenario.rule.name if scenario.rule else None, outline)
    if story:
        request.node.add_marker(pytest.mark.allure_label(story, label_type="story"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
        world = getattr(item, "funcargs", {}).get("world")
        if call.when == "call" and isinstance(world, World) and (log := world.target_log(TERMINAL_LOG_LINES)):
            report.sections.append((f"{log[0]} target log (last {TERMINAL_LOG_LINES} lines)", log[1]))
    return report


@pytest.fixture
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """The scenario's world on the selected target; closed (everything released) at teardown."""
    scenario_world = World(request.config.stash[_OPTIONS], (mark.name for mark in request.node.iter_markers()))
    try:
        scenario_world.check_target()
    except ScenarioSkip as skip:
        scenario_world.close()
        pytest.skip(str(skip))
    yield scenario_world
    scenario_world.close(failed=request.node.stash.get(_FAILED, False))
