"""The Allure report as a reader sees it: built by scripts/allure_report.sh from a real small run, opened in
headless Chromium. Select with `pytest tests -m report`; skipped (with the reason) without chromium or the
Allure command line."""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import precondition_report

ROOT = Path(__file__).resolve().parents[2]
ALLURE = ROOT / ".tools" / "node_modules" / ".bin" / "allure"
SCENARIOS = "each_screen_carries or trade_updates_the_price_board"  # two @smoke scenarios on the wired target
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--virtual-time-budget=15000", "--window-size=1400,1000")

pytestmark = pytest.mark.report


def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _chromium()
    if path is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install -y chromium)")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    """A report of two smoke scenarios, and the results it was built from."""
    if not ALLURE.exists():
        pytest.skip(f"no Allure command line at {ALLURE.relative_to(ROOT)} (`make report` installs it)")
    if shutil.which("java") is None:
        pytest.skip("the Allure command line needs Java (apt-get install default-jre-headless)")
    work = tmp_path_factory.mktemp("allure")
    results, html_dir = work / "results", work / "report"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--target=wired", "-m", "smoke", "-k", SCENARIOS, "-p", "no:randomly",
         "-q", f"--alluredir={results}", "--clean-alluredir"],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    built = subprocess.run(["bash", "scripts/allure_report.sh"], cwd=ROOT, capture_output=True, text=True,
                           timeout=300, check=False,
                           env={**os.environ, "RESULTS": str(results), "REPORT": str(html_dir), "REUSE_RESULTS": "1"})
    assert built.returncode == 0, built.stdout + built.stderr
    scenarios = [json.loads(path.read_text()) for path in results.glob("*-result.json")]
    names = sorted(str(s["name"]) for s in scenarios)  # the two scenarios, and the run's preconditions
    assert len(scenarios) == 3 and precondition_report.TITLE in names, names
    return html_dir, scenarios


@pytest.fixture(scope="module")
def served(report: tuple[Path, list[dict[str, object]]]) -> Iterator[str]:
    """The report over HTTP on 127.0.0.1 (the report loads its data with XHR, which file:// may refuse)."""
    handler = functools.partial(_QuietHandler, directory=str(report[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="report-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def test_the_overview_counts_every_scenario_run(chromium: str, served: str, report: tuple[Path, list[dict[str, object]]],
                                                tmp_path: Path) -> None:
    dom = _Dom.of(_browse(chromium, served, tmp_path, "--dump-dom"))
    assert dom.texts("splash__title") == [str(len(report[1]))], dom.texts("splash__title")
    assert "wired" in dom.text, "the environment widget shows the target"
    screenshot = tmp_path / "overview.png"
    _browse(chromium, served, tmp_path, f"--screenshot={screenshot}")
    assert screenshot.stat().st_size > 10_000
    _attach_screenshot(screenshot)


def test_a_feature_page_shows_the_steps_of_its_scenarios(chromium: str, served: str,
                                                         report: tuple[Path, list[dict[str, object]]],
                                                         tmp_path: Path) -> None:
    behaviors = json.loads((report[0] / "data" / "behaviors.json").read_text())
    feature, scenario = _first_leaf(behaviors)
    dom = _Dom.of(_browse(chromium, f"{served}#behaviors/{feature}/{scenario['uid']}", tmp_path, "--dump-dom"))
    result = next(r for r in report[1] if r["name"] == scenario["name"])
    expected = [step["name"] for step in result["steps"]]  # type: ignore[index, union-attr]
    assert expected and dom.texts("step__name") == expected, dom.texts("step__name")


# -- helpers ------------------------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _browse(chromium: str, url: str, tmp_path: Path, action: str) -> str:
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", action, url],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _first_leaf(node: dict[str, object], parent: str | None = None) -> tuple[str, dict[str, object]]:
    """(uid of the feature group, the scenario) of the first scenario in the behaviors tree."""
    children = node.get("children")
    if not isinstance(children, list):
        assert parent is not None
        return parent, node
    return _first_leaf(children[0], str(node.get("uid")))


def _attach_screenshot(path: Path) -> None:
    """Into the report of this test run, when it has one (best effort)."""
    import allure
    with contextlib.suppress(Exception):  # no current test without --alluredir
        allure.attach.file(str(path), name="Allure overview in Chromium", attachment_type=allure.attachment_type.PNG)


class _Dom(html.parser.HTMLParser):
    """The text of a rendered page, and the text of the elements carrying a given class."""

    _VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self._open: list[tuple[str, list[list[str]]]] = []  # (tag, the text buffers it feeds)
        self._by_class: dict[str, list[list[str]]] = {}
        self._hidden = 0
        self.text = ""

    @classmethod
    def of(cls, page: str) -> _Dom:
        dom = cls()
        dom.feed(page)
        return dom

    def texts(self, css_class: str) -> list[str]:
        return [" ".join("".join(parts).split()) for parts in self._by_class.get(css_class, [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._VOID:
            return
        self._hidden += tag in ("style", "script")
        buffers: list[list[str]] = []
        for name in (dict(attrs).get("class") or "").split():
            buffers.append([])
            self._by_class.setdefault(name, []).append(buffers[-1])
        self._open.append((tag, buffers))

    def handle_endtag(self, tag: str) -> None:
        if tag not in (opened for opened, _ in self._open):
            return
        while self._open:
            opened, _ = self._open.pop()
            self._hidden -= opened in ("style", "script")
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.text += data
        for _, buffers in self._open:
            for buffer in buffers:
                buffer.append(data)
