"""The Allure report as a product owner reads it, checked from the page itself in headless Chromium.

`make report-check` points REPORT_CHECK_REPORT and REPORT_CHECK_RESULTS at the report it has just
built from the merged results of every stage; without them the check builds a small report of its
own (pytest-bdd and behave, a data table, a Locust load, the throughput scenario with a benchmark
report) in 30 to 40 s. Select with `pytest tests -m report`; skipped, with the reason, without
chromium or the Allure command line.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from report_browser import Browser

from support import contract, processes
from support.contract_verdicts import FAILING, UNVERIFIED, VERIFIED, judge, tally
from support.feature_scan import scan
from support.rule_coverage import run_of, runs_from_allure

ROOT = Path(__file__).resolve().parents[2]
ALLURE = ROOT / ".tools" / "node_modules" / ".bin" / "allure"
TABLE_SCENARIO = "The summary totals every symbol"  # a step with a data table (features/foreign_tracking)
RULE = "foreign-summary"                           # its rule: two scenarios, both in the small report
LOAD_SCENARIO = "500 foreign-flow screens poll every 2 seconds"
THROUGHPUT_SCENARIO = "The tracker keeps up with a busy market"
SMALL_PYTEST = ["features/foreign_tracking/test_foreign_flow.py", "features/performance/test_rest_polling.py",
                "features/performance/test_processing_throughput.py",
                "-k", "summary_totals or ranked_by_net or poll_every or keeps_up"]
SMALL_BEHAVE = ["features/foreign_tracking/foreign_flow.feature", "features/performance/processing_throughput.feature",
                "-n", "summary totals", "-n", "ranked by net value", "-n", "busy market"]
SMALL_LOAD = {"PERF_SCALE": "0.02", "PERF_DURATION_S": "3", "PERF_TIMING": "report"}  # a few users, a few seconds

pytestmark = pytest.mark.report


@dataclass(frozen=True)
class Report:
    html: Path
    results: Path
    url: str  # where it is served: http://127.0.0.1:<port>/index.html

    def data(self, name: str) -> Any:
        return json.loads((self.html / "data" / name).read_text(encoding="utf-8"))

    def results_json(self) -> list[dict[str, Any]]:
        return [json.loads(path.read_text(encoding="utf-8")) for path in self.results.glob("*-result.json")]

    def pages_of(self, name: str) -> dict[str, str]:
        """Where each result named `name` opens in the Behaviors tab, by run ('pytest-bdd on wired')."""
        pages: dict[str, str] = {}

        def walk(node: dict[str, Any], parent: str) -> None:
            for child in node.get("children", []):
                if "children" in child:
                    walk(child, child["uid"])
                elif child["name"] == name:
                    run = " on ".join(child.get("parameters", [])[:2])  # runner, target (in that order)
                    pages[run] = f"{self.url}#behaviors/{parent}/{child['uid']}"
        walk(self.data("behaviors.json"), "")
        assert pages, f"no result named {name!r} in the report"
        return pages


# -- fixtures -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chromium() -> str:
    path = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if path is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install -y chromium)")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(report, results): the merged report `make report-check` built, else a small one built here."""
    merged, merged_results = os.environ.get("REPORT_CHECK_REPORT"), os.environ.get("REPORT_CHECK_RESULTS")
    if merged and merged_results:
        assert (Path(merged) / "index.html").exists(), f"REPORT_CHECK_REPORT={merged} holds no report"
        return Path(merged).resolve(), Path(merged_results).resolve()
    if not ALLURE.exists():
        pytest.skip(f"no Allure command line at {ALLURE.relative_to(ROOT)} (`make report` installs it)")
    if shutil.which("java") is None:
        pytest.skip("the Allure command line needs Java (apt-get install default-jre-headless)")
    work = tmp_path_factory.mktemp("allure")
    results, html_dir = work / "results", work / "report"
    build_small_report(results, html_dir, work)
    return html_dir, results


def build_small_report(results: Path, html_dir: Path, work: Path) -> None:
    """Both runners on the wired target, a short load, a small benchmark attached, the report built.

    The two runs and the benchmark go side by side (they mostly wait on sockets); behave writes into
    a folder of its own, merged after, since pytest's --clean-alluredir would empty a shared one.
    """
    env = {**os.environ, **SMALL_LOAD, "PYTHONPATH": str(ROOT)}
    behave_results = work / "behave-results"
    figures, text = work / "performance_results.json", work / "performance_report.md"
    side_by_side = [
        [sys.executable, "-m", "pytest", "--target=wired", "-p", "no:randomly", "-q", *SMALL_PYTEST,
         f"--alluredir={results}", "--clean-alluredir"],
        [sys.executable, "-m", "behave", *SMALL_BEHAVE, "-f", "allure_behave.formatter:AllureFormatter",
         "-o", str(behave_results), "-f", "progress"],
        [sys.executable, "bench/profile_tracker.py", "--messages", "2000", "--throughput-messages", "5000",
         "--rate", "500", "--seconds", "1", "--out", str(figures)]]
    # the verdicts are the tracker's (a load at this size is a measurement): the check is about what the report shows
    running = [processes.spawn(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for argv in side_by_side]
    try:
        for process in running:
            process.wait(timeout=240)
    finally:
        for process in running:  # each with its process group, whatever it started (a live tracker, Locust)
            processes.end(process)
    for path in behave_results.iterdir():
        if path.name.endswith(("-result.json", "-container.json")) or "-attachment" in path.name:
            shutil.copy2(path, results / path.name)

    def run(argv: list[str], extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
                              env={**env, **(extra or {})})
    run([sys.executable, "bench/report.py", "--results", str(figures), "--out", str(text),
         "--load-results", str(work / "no-load")])
    attached = run([sys.executable, "bench/attach_report.py", "--results", str(results), "--report", str(text),
                    "--figures", str(figures)])
    assert "attached to 2 result(s)" in attached.stdout, attached.stdout + attached.stderr
    report = run(["bash", "scripts/allure_report.sh"],
                 {"RESULTS": str(results), "REPORT": str(html_dir), "REUSE_RESULTS": "1", "PYTHON": sys.executable})
    assert report.returncode == 0, report.stdout + report.stderr


@pytest.fixture(scope="module")
def report(built: tuple[Path, Path]) -> Iterator[Report]:
    """The report over HTTP on 127.0.0.1 (it loads its data with XHR, which file:// refuses)."""
    handler = functools.partial(_QuietHandler, directory=str(built[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="report-http", daemon=True)
    thread.start()
    try:
        yield Report(built[0], built[1], f"http://127.0.0.1:{server.server_address[1]}/index.html")
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser.start(chromium, tmp_path_factory.mktemp("chromium")) as opened:
        yield opened


# -- the checks ---------------------------------------------------------------------------------------
def test_the_overview_counts_every_result_and_shows_the_contract(browser: Browser, report: Report,
                                                                 tmp_path: Path) -> None:
    browser.open(report.url)
    environment = browser.wait_for(_WIDGET_TEXT.format(title="Environment"), "the Environment widget")
    total = browser.wait_for(_WIDGET_TEXT.format(title="Allure Report"), "the summary widget")
    counted = {r.get("historyId") or r["uuid"] for r in report.results_json()}  # a rerun is a retry, not a case
    assert f"\n{len(counted)}\ntest cases" in total, total
    rules = judge(contract.load(), scan(ROOT / "features", root=ROOT), runs_from_allure(report.results))
    counts = tally(rules)
    for verdict in (VERIFIED, FAILING, UNVERIFIED):
        assert f"Contract rules {verdict}\n{counts[verdict]} of {len(rules)}" in environment, environment
    assert counts[VERIFIED] >= 1, "the report's own run verifies a rule"
    _attach_screenshot(browser.screenshot(tmp_path / "overview.png"), "Allure overview in Chromium")


def test_epics_and_features_read_in_words(browser: Browser, report: Report) -> None:
    browser.open(f"{report.url}#behaviors")
    browser.wait_for("document.querySelectorAll('.node__title').length > 0", "the Behaviors tree")
    epics = browser.evaluate(_TREE_TITLES)
    for epic in epics:
        browser.click(".node__title", epic)
    names = browser.wait_for(f"(() => {{ const t = {_TREE_TITLES}; return t.length > {len(epics)} && t; }})()",
                             "the features once the epics are open")
    assert {"Foreign tracking", "Performance", "Contract"} <= set(epics), epics
    for name in names:
        words = name.replace("WebSocket", "Websocket")  # a proper noun is not CamelCase
        assert not re.search(r"[a-z][A-Z]|<[^>]*>|_", words), f"not in words: {name!r}"


def test_a_scenario_shows_its_steps_its_evidence_and_its_data_table_under_both_runners(browser: Browser,
                                                                                        report: Report) -> None:
    pages = report.pages_of(TABLE_SCENARIO)
    assert {run.split(" on ")[0] for run in pages} >= {"pytest-bdd", "behave"}, pages
    for run, page in pages.items():
        result = next(r for r in report.results_json() if r["name"] == TABLE_SCENARIO and run_of(r) == run)
        browser.open(page)
        steps = browser.wait_for(f"(() => {{ const s = {_STEP_NAMES}; return s.length >= {len(result['steps'])} && s; }})()",
                                 f"the steps of {TABLE_SCENARIO} ({run})")
        assert steps[:len(result["steps"])] == [step["name"] for step in result["steps"]], (run, steps)
        browser.click(".step__name", "these foreign totals")
        rows = browser.wait_for(f"(() => {{ const a = {_ATTACHMENT_NAMES}; return a.includes('Data table') && a; }})()",
                                f"the data table of the step ({run})")
        assert any(name.startswith("tracker: GET /api/market/foreign-detail") for name in rows), rows
        browser.click(".attachment-row", "Data table")
        table = browser.wait_for("(() => { const t = document.querySelector('.attachment-preview__table');"
                                 " return t && [...t.rows].map(r => [...r.cells].map(c => c.innerText)); })()",
                                 f"the data table shown as a table ({run})")
        assert table[0] == ["symbol", "bought", "bought value", "sold", "sold value"], table
        assert [row[0] for row in table[1:]] == ["FPT", "VNM", "HPG"], table


def test_one_scenario_shows_a_verdict_per_runner_and_target(browser: Browser, report: Report) -> None:
    runs = {run_of(r): r["status"] for r in report.results_json() if r["name"] == TABLE_SCENARIO}
    browser.open(next(iter(report.pages_of(TABLE_SCENARIO).values())))
    shown = browser.wait_for(
        f"(() => {{ const l = [...document.querySelectorAll('.node__leaf')].filter(e => e.innerText.includes("
        f"{json.dumps(TABLE_SCENARIO)})).map(e => [e.querySelector('.node__parameters').innerText,"
        " [...e.querySelector('.status-icon').classList].join(' ')]);"
        f" return l.length >= {len(runs)} && l; }})()", "the scenario once per runner and target")
    seen = {parameters.replace(",", " on "): classes for parameters, classes in shown}
    assert seen.keys() == runs.keys(), (seen, runs)
    for run, status in runs.items():
        assert f"status-icon_status_{status}" in seen[run], (run, status, seen[run])


def test_a_rule_opens_on_its_scenarios_and_their_verdicts(browser: Browser, report: Report) -> None:
    rules = judge(contract.load(), scan(ROOT / "features", root=ROOT), runs_from_allure(report.results))
    rule = next(r for r in rules if r.rule.id == RULE)
    contract_page = next(iter(report.pages_of(next(r["name"] for r in report.results_json()
                                                   if r["name"].startswith("Contract rules:"))).values()))
    browser.open(contract_page)
    browser.wait_for(f"{_STEP_NAMES}.some(n => n.startsWith('[{RULE}]'))", "the rule's step")
    browser.click(".step__name", f"[{RULE}]")
    inside = browser.wait_for(f"(() => {{ const s = {_STEP_NAMES}.filter(n => !n.startsWith('[')); "
                              f"return s.length >= {len(rule.scenarios)} && s; }})()", "the rule's scenarios")
    for scenario in rule.scenarios:
        verdicts = ", ".join(f"{verdict} on {run}" for run, verdict in sorted(scenario.runs.items()))
        assert f"{scenario.entry.name} ({scenario.entry.location}): {verdicts}" in inside, (scenario, inside)
    # and the Behaviors tab, searched by the rule's tag, holds those scenarios and nothing else
    browser.open(f"{report.url}#behaviors")
    browser.wait_for("document.querySelector('.search__input')", "the search box")
    browser.evaluate("(() => { const i = document.querySelector('.search__input'); "
                     f"i.value = 'tag:rule:{RULE}'; i.dispatchEvent(new Event('input', {{bubbles: true}})); }})()")
    ran = sorted(s.entry.name for s in rule.scenarios for _ in s.runs)
    leaves = browser.wait_for(f"(() => {{ const l = [...document.querySelectorAll('.node__leaf .node__name')]"
                              f".map(e => e.innerText.trim()).sort(); return l.length === {len(ran)} && l; }})()",
                              f"the {len(ran)} results of the rule's scenarios")
    assert leaves == ran, (leaves, ran)


def test_a_load_scenario_shows_locusts_charts(browser: Browser, report: Report, tmp_path: Path) -> None:
    browser.open(next(iter(report.pages_of(LOAD_SCENARIO).values())))
    browser.wait_for(f"{_STEP_NAMES}.some(n => n.includes('poll the foreign detail'))", "the load step")
    browser.click(".step__name", "poll the foreign detail")
    browser.wait_for(f"{_ATTACHMENT_NAMES}.includes('Locust report')", "Locust's report among the attachments")
    browser.click(".attachment-row", "Locust report")
    charts = browser.wait_for("document.querySelector('iframe[title*=\"Locust report\"]')", "the report's frame")
    assert charts is not None

    def drawn() -> list[Any]:
        seen = browser.evaluate_in_frame("Locust report", "[document.body.innerText.includes('Locust Test Report'),"
                                         " document.querySelectorAll('canvas').length]")
        assert seen and seen[0] and seen[1] >= 3, f"Locust's page drew no charts (report text, canvases: {seen})"
        return list(seen)
    from support.eventually import eventually
    eventually(drawn, timeout=20)
    browser.evaluate("document.querySelector('iframe[title*=\"Locust report\"]').scrollIntoView()")
    _attach_screenshot(browser.screenshot(tmp_path / "locust.png"), "Locust's charts in the Allure report")


def test_the_throughput_scenario_carries_the_benchmark_report(browser: Browser, report: Report) -> None:
    for run, page in report.pages_of(THROUGHPUT_SCENARIO).items():
        browser.open(page)
        browser.wait_for(f"{_ATTACHMENT_NAMES}.some(n => n.startsWith('Benchmark report'))",
                         f"the benchmark report on the throughput scenario ({run})")
        browser.click(".attachment-row", "Benchmark report")
        browser.wait_for("document.querySelector('.side-by-side__right').innerText.includes("
                         "'Performance report: VN30 tracker')", f"the benchmark report's text ({run})")


# -- helpers ------------------------------------------------------------------------------------------
_WIDGET_TEXT = ("(() => {{ const w = [...document.querySelectorAll('.widget')].find(e => e.innerText.startsWith("
                "'{title}')); return w && w.innerText.includes('\\n') && w.innerText; }})()")
_TREE_TITLES = "[...document.querySelectorAll('.node__title:not(.node__leaf .node__title)')].map(e => e.querySelector('.node__name').innerText.trim())"
_STEP_NAMES = "[...document.querySelectorAll('.side-by-side__right .step__name')].map(e => e.innerText.trim())"
_ATTACHMENT_NAMES = "[...document.querySelectorAll('.side-by-side__right .attachment-row__name')].map(e => e.innerText.trim())"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _attach_screenshot(path: Path, name: str) -> None:
    """Into the report of this test run, when it has one (best effort)."""
    import allure
    with contextlib.suppress(Exception):  # no current test without --alluredir
        allure.attach.file(str(path), name=name, attachment_type=allure.attachment_type.PNG)
