"""Screenshots of an Allure report as a product owner sees it: the overview, and a failed scenario opened.

    .venv/bin/python scripts/report_screenshots.py                      # allure-report/ -> build/report-screenshots/
    .venv/bin/python scripts/report_screenshots.py --report /tmp/html --out /tmp/shots
    .venv/bin/python scripts/report_screenshots.py --broken-build       # a failure made honestly, then its pictures

Prints the path of each PNG. The failed scenario is the first failed (else broken) scenario of the
report, opened on its page with its failing step unfolded. A report without one gets the overview
only; `--broken-build` makes one honestly: it copies tracker/ into a temporary folder, breaks the
foreign summary's net value there (buy + sell instead of buy - sell), runs the two foreign-summary
scenarios on the live target against that copy, and builds their report, all under `--out`. The
scenarios and the tracker in the checkout are not touched. Needs chromium, Java and the Allure
command line (`make report` installs it). The PNGs go under build/ (git-ignored), never committed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "report"))

from report_browser import Browser

BREAK_FILE = Path("tracker/core/foreign.py")
BREAK = ('"total_net_value": buy_val - sell_val', '"total_net_value": buy_val + sell_val')
SCENARIOS = ["features/foreign_tracking/test_foreign_flow.py", "-k", "summary_totals or ranked_by_net"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--report", type=Path, default=ROOT / "allure-report")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "report-screenshots")
    parser.add_argument("--broken-build", action="store_true", help="make a failed scenario first (see above)")
    options = parser.parse_args(argv)
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if chromium is None:
        print("report screenshots: no chromium on PATH (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 2
    options.out.mkdir(parents=True, exist_ok=True)
    report = broken_build_report(options.out) if options.broken_build else options.report
    if not (report / "index.html").exists():
        print(f"report screenshots: no report in {report} (make report builds one)", file=sys.stderr)
        return 2
    with serve(report) as url, tempfile.TemporaryDirectory() as profile, Browser.start(chromium, Path(profile)) as browser:
        for path in screenshots(browser, url, report, options.out):
            print(path)
    return 0


def screenshots(browser: Browser, url: str, report: Path, out: Path) -> Iterator[Path]:
    browser.open(url)
    browser.wait_for("[...document.querySelectorAll('.widget')].some(w => w.innerText.startsWith('Environment'))",
                     "the overview's widgets")
    yield browser.screenshot(out / "overview.png")
    failed = first_failed(json.loads((report / "data" / "behaviors.json").read_text(encoding="utf-8")))
    if failed is None:
        print("report screenshots: no failed scenario in this report (--broken-build makes one)", file=sys.stderr)
        return
    parent, uid, name = failed
    browser.open(f"{url}#behaviors/{parent}/{uid}")
    browser.wait_for("document.querySelector('.side-by-side__right .status-details__message')", f"{name}: its failure")
    browser.evaluate("(() => { const s = [...document.querySelectorAll('.side-by-side__right .step')]"
                     ".find(e => e.querySelector('.status-icon_status_failed, .status-icon_status_broken'));"
                     " if (s) { s.querySelector('.step__name').click(); s.scrollIntoView(); } })()")
    yield browser.screenshot(out / "failed-scenario.png")


def first_failed(tree: dict[str, Any], parent: str = "") -> tuple[str, str, str] | None:
    """(group uid, result uid, name) of the first failed scenario, else the first broken one; not the report's own results."""
    found: dict[str, tuple[str, str, str]] = {}

    def walk(node: dict[str, Any], group: str) -> None:
        for child in node.get("children", []):
            if "children" in child:
                if child.get("name") not in ("Contract", "Preconditions"):
                    walk(child, child["uid"])
            elif child.get("status") in ("failed", "broken"):
                found.setdefault(child["status"], (group, child["uid"], child["name"]))
    walk(tree, parent)
    return found.get("failed") or found.get("broken")


def broken_build_report(out: Path) -> Path:
    """The report of two scenarios run against a copy of the tracker with one rule broken on purpose."""
    work = out / "broken-build"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ROOT / "tracker", work / "tracker", ignore=shutil.ignore_patterns("__pycache__"))
    source = work / BREAK_FILE
    text = source.read_text(encoding="utf-8")
    assert BREAK[0] in text, f"{BREAK_FILE} no longer computes the net as this script breaks it: update BREAK"
    source.write_text(text.replace(BREAK[0], BREAK[1]), encoding="utf-8")
    command = f"env PYTHONPATH={work} {{python}} -P -m tracker --host {{host}} --port {{port}}"  # -P: not the checkout's
    results, html = work / "results", work / "report"
    subprocess.run([sys.executable, "-m", "pytest", "--target=live", f"--sut-cmd={command}", "-p", "no:randomly",
                    "-q", *SCENARIOS, f"--alluredir={results}", "--clean-alluredir"],
                   cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    subprocess.run(["bash", "scripts/allure_report.sh"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                   check=False, env={**os.environ, "RESULTS": str(results), "REPORT": str(html), "REUSE_RESULTS": "1",
                                     "PYTHON": sys.executable})
    return html


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 (the report loads its data with XHR), stopped after."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="report-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    sys.exit(main())
