"""Does the suite catch a broken tracker? Flip one contract rule at a time and run the features.

Each fault is a one-line edit of the reference tracker. For each, a copy of the working tree
gets the edit, the wired suite runs against it, and the fault is "caught" when at least one
scenario fails. A fault whose edit no longer applies stops the run (the tracker changed:
update the fault). Usage:

    .venv/bin/python scripts/fault_injection.py            # every fault
    .venv/bin/python scripts/fault_injection.py spike-mean  # some, by name

Prints one line per fault (caught by which scenarios, or MISSED) and exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITE = ["-m", "pytest", "--gherkin", "--target=wired", "-m", "not perf and not docker",
         "-p", "no:randomly", "-q", "--no-header", "-p", "no:cacheprovider", "--timeout=60"]
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", ".tools", "allure-results", "allure-report",
                                     "load-results", "__pycache__", "*.egg-info", "node_modules")


@dataclass(frozen=True)
class Fault:
    name: str
    rule: str
    path: str
    before: str
    after: str


FAULTS = (
    Fault("buy-at-ask", "a trade at the ask is an active buy", "tracker/core/session_stats.py",
          "price >= ask1", "price > ask1"),
    Fault("sell-at-bid", "a trade at the bid is an active sell", "tracker/core/session_stats.py",
          "price <= bid1", "price < bid1"),
    Fault("auction-neutral", "ATO/ATC trades are neutral", "tracker/core/session_stats.py",
          "if session in _AUCTIONS:\n        return NEUTRAL", "if session == 'ATO':\n        return NEUTRAL"),
    Fault("spike-mean", "a spike is strictly more than 3.0 x the mean", "tracker/core/alerts.py",
          "volume * n > SPIKE_FACTOR * t.total", "volume * n >= SPIKE_FACTOR * t.total"),
    Fault("spike-count", "a spike needs at least 10 trades", "tracker/core/alerts.py",
          "n >= SPIKE_MIN_TRADES and", "n > SPIKE_MIN_TRADES and"),
    Fault("spike-window", "the spike mean covers 20 minutes", "tracker/core/alerts.py",
          "SPIKE_WINDOW_S = 20 * 60.0", "SPIKE_WINDOW_S = 60 * 60.0"),
    Fault("breakout-ceiling", "reaching the ceiling is a breakout", "tracker/core/alerts.py",
          "if price >= ceiling:", "if price > ceiling:"),
    Fault("dedup-window", "an alert repeats at most once per 60 s", "tracker/core/alerts.py",
          "0.0 <= ts - last < DEDUP_S", "0.0 <= ts - last < DEDUP_S / 2"),
    Fault("alert-buffer", "the newest 500 alerts are kept", "tracker/core/alerts.py",
          "MAX_ALERTS = 500", "MAX_ALERTS = 1000"),
    Fault("foreign-threshold", "foreign acceleration fires above 30 %", "tracker/core/alerts.py",
          "if change > FOREIGN_CHANGE:", "if change > 2 * FOREIGN_CHANGE:"),
    Fault("foreign-base", "no foreign acceleration against a base under 1e9 VND", "tracker/core/alerts.py",
          "if abs(ref) >= FOREIGN_MIN_BASE_VND:", "if abs(ref) >= 0:"),
    Fault("basis-flip", "a basis sign flip either way alerts", "tracker/core/alerts.py",
          "(previous > 0 and current < 0) or (previous < 0 and current > 0)", "(previous > 0 and current < 0)"),
    Fault("foreign-negative", "a falling cumulative figure never counts negative", "tracker/core/foreign.py",
          "d_buy = max(d_buy, 0)", "d_buy = d_buy"),
    Fault("foreign-delta", "a later cumulative figure adds only what is new", "tracker/core/foreign.py",
          "d_buy = buy if f.base_buy is None else buy - f.base_buy", "d_buy = buy"),
    Fault("foreign-top", "the top sellers are ranked by net value", "tracker/core/foreign.py",
          'by_net_asc = sorted(stocks, key=lambda s: (s["net_value"], s["symbol"]))',
          'by_net_asc = sorted(stocks, key=lambda s: (s["sell_value"], s["symbol"]))'),
    Fault("reset-alerts", "the daily reset clears the alert history", "tracker/core/processor.py",
          "        self._alerts.clear()\n", ""),
    Fault("watchlist", "symbols outside the watchlist are ignored", "tracker/core/watchlist.py",
          "return symbol in self._tracked or", "return True or"),
    Fault("trailing-edge", "a burst gives a trailing message with the latest state", "tracker/publisher.py",
          "window.timer = loop.call_at(window.last_sent + self._interval, self._flush, channel)", "pass"),
)


NO_FAULT = Fault("none", "the tracker as it is (the baseline must pass)", "tracker/core/alerts.py", "", "")


def run_fault(fault: Fault, python: str) -> tuple[bool, list[str], float]:
    """(caught, failing scenario ids, seconds) for one fault applied to a copy of the tree."""
    with tempfile.TemporaryDirectory(prefix=f"fault-{fault.name}-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(REPO, tree, ignore=COPY_IGNORE)
        if fault is not NO_FAULT:
            target = tree / fault.path
            text = target.read_text(encoding="utf-8")
            if text.count(fault.before) != 1:
                raise SystemExit(f"fault {fault.name}: {fault.before!r} occurs {text.count(fault.before)} times "
                                 f"in {fault.path}; update FAULTS in {Path(__file__).name}")
            target.write_text(text.replace(fault.before, fault.after), encoding="utf-8")
        started = time.monotonic()
        done = subprocess.run([python, *SUITE], cwd=tree, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"fault {fault.name}: the suite could not run (exit {done.returncode}):\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
        failed = re.findall(r"^FAILED \S+::(\S+)", done.stdout, flags=re.MULTILINE)
        return done.returncode == 1, failed, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"faults to inject (default: all): {', '.join(f.name for f in FAULTS)}")
    args = parser.parse_args(argv)
    unknown = set(args.names) - {f.name for f in FAULTS}
    if unknown:
        parser.error(f"unknown fault(s) {', '.join(sorted(unknown))}; known: {', '.join(f.name for f in FAULTS)}")
    chosen = [f for f in FAULTS if not args.names or f.name in args.names]
    broken, failed, seconds = run_fault(NO_FAULT, sys.executable)
    if broken:
        print(f"the unchanged tracker already fails {', '.join(failed)}: fix that first", file=sys.stderr)
        return 2
    print(f"{'baseline':18} {NO_FAULT.rule:55} {seconds:5.1f} s  passes", flush=True)
    missed = []
    for fault in chosen:
        caught, failed, seconds = run_fault(fault, sys.executable)
        verdict = f"caught by {len(failed)}: {', '.join(failed[:4])}{' ...' if len(failed) > 4 else ''}" \
            if caught else "MISSED"
        print(f"{fault.name:18} {fault.rule:55} {seconds:5.1f} s  {verdict}", flush=True)
        if not caught:
            missed.append(fault.name)
    print(f"\n{len(chosen) - len(missed)} of {len(chosen)} faults caught" +
          (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
