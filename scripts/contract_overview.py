"""The contract on the report's overview: how many rules of docs/CONTRACT.md the whole run verified, and each rule's page.

    .venv/bin/python scripts/contract_overview.py --results allure-results

Run by scripts/allure_report.sh on the merged results of every stage, just before `allure generate`
(Allure 2's overview takes no widget of our own). It writes into the results folder:
- three lines at the top of environment.properties, which the overview's Environment widget shows
  first: `Contract rules verified  50 of 57`, `... failing`, `... unverified`, each naming its rules;
- one result, "Contract rules" (epic Contract), whose steps are the rules with their verdicts and,
  inside each, its scenarios with their verdict on every runner and target; its description links
  each rule to its text and gives the search that filters the Behaviors tab to its scenarios
  (`tag:rule:<id>`: Allure 2 takes no search in the URL, so it is typed into the search box).
Verdicts: support/contract_verdicts.py. Run again, it replaces what it wrote before.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's support/, whatever is installed

from support import contract, traceability
from support.contract_verdicts import (
    FAILING,
    UNVERIFIED,
    VERIFIED,
    RuleVerdict,
    ScenarioRuns,
    judge,
    tally,
)
from support.feature_scan import scan
from support.rule_coverage import runs_from_allure

RESULT_FILE = "vn30-contract-rules-result.json"  # a fixed name: a second run replaces it, and it is never a scenario
TITLE = "Contract rules"
ENV_PREFIX = "Contract rules "
LISTED = 12  # rule ids named on an Environment line; the Contract rules result names them all
_STEP_STATUS = {VERIFIED: "passed", FAILING: "failed", UNVERIFIED: "skipped"}
_RUN_STATUS = {"passed": "passed", "failed": "failed", "broken": "broken", "skipped": "skipped"}


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    catalogue = contract.load()
    (options.results / RESULT_FILE).unlink(missing_ok=True)
    rules = judge(catalogue, scan(options.features, root=ROOT), runs_from_allure(options.results))
    counts = tally(rules)
    write_environment(options.results / "environment.properties", environment_lines(rules))
    (options.results / RESULT_FILE).write_text(json.dumps(result(rules), indent=1), encoding="utf-8")
    print(f"contract overview: {counts[VERIFIED]} of {len(rules)} rules verified, {counts[FAILING]} failing, "
          f"{counts[UNVERIFIED]} unverified ({options.results / RESULT_FILE})")
    return 0


def environment_lines(rules: list[RuleVerdict]) -> dict[str, str]:
    """The overview's first Environment lines: each count, and which rules are failing or unverified."""
    counts = tally(rules)

    def named(verdict: str) -> str:
        ids = [rule.rule.id for rule in rules if rule.verdict == verdict]
        shown = ", ".join(ids[:LISTED]) + (f" and {len(ids) - LISTED} more (see {TITLE})" if len(ids) > LISTED else "")
        return f"{len(ids)} of {len(rules)}" + (f": {shown}" if ids and verdict != VERIFIED else "")

    assert sum(counts.values()) == len(rules)
    return {f"{ENV_PREFIX}{verdict}": named(verdict) for verdict in (VERIFIED, FAILING, UNVERIFIED)}


def write_environment(path: Path, lines: dict[str, str]) -> None:
    """`lines` first in environment.properties (keys with spaces escaped, as Java reads them), the rest kept."""
    kept = [line for line in (path.read_text(encoding="utf-8").splitlines() if path.exists() else [])
            if not line.startswith(_escape_key(ENV_PREFIX))]
    ours = [f"{_escape_key(key)}={value}" for key, value in lines.items()]
    path.write_text("\n".join(ours + kept) + "\n", encoding="utf-8")


def _escape_key(key: str) -> str:
    return key.replace("\\", "\\\\").replace(" ", "\\ ").replace("=", "\\=").replace(":", "\\:")


def result(rules: list[RuleVerdict]) -> dict[str, Any]:
    """The "Contract rules" Allure result: failed while a rule fails, unknown while one is unverified, else passed."""
    counts = tally(rules)
    status = "failed" if counts[FAILING] else "unknown" if counts[UNVERIFIED] else "passed"
    now = int(time.time() * 1000)
    problems = [f"[{rule.rule.id}] failing: {rule.why}" for rule in rules if rule.verdict == FAILING]
    if counts[UNVERIFIED]:
        problems.append(f"{counts[UNVERIFIED]} rule(s) unverified (no scenario, none selected, or one skipped everywhere): see the steps")
    return {
        "uuid": RESULT_FILE.removesuffix("-result.json"), "historyId": "vn30-contract-rules",
        "name": f"{TITLE}: {counts[VERIFIED]} of {len(rules)} verified, {counts[FAILING]} failing, "
                f"{counts[UNVERIFIED]} unverified",
        "fullName": f"{TITLE} ({contract.CONTRACT_DOC})", "status": status,
        "statusDetails": {"message": "\n".join(problems)} if problems else {},
        "descriptionHtml": description(rules), "start": now, "stop": now, "stage": "finished",
        "steps": [_rule_step(rule, now) for rule in rules],
        "labels": [{"name": "epic", "value": "Contract"}, {"name": "feature", "value": TITLE},
                   {"name": "suite", "value": "Contract"}, {"name": "severity", "value": "blocker"}],
        "links": [{"type": "link", "name": contract.CONTRACT_DOC, "url": contract.rule_url("").rstrip("#")}],
    }


def _rule_step(rule: RuleVerdict, now: int) -> dict[str, Any]:
    title = f" {rule.rule.title}" if rule.rule.title else ""
    return {"name": f"[{rule.rule.id}]{title}: {rule.verdict}, {rule.why}", "status": _STEP_STATUS[rule.verdict],
            "start": now, "stop": now, "stage": "finished", "steps": [_scenario_step(s, now) for s in rule.scenarios]}


def _scenario_step(scenario: ScenarioRuns, now: int) -> dict[str, Any]:
    """A scenario of the rule, its verdict on each run as parameters ('behave on live' = 'passed')."""
    status = "failed" if scenario.failed else "passed" if scenario.passed else "skipped"
    runs = ", ".join(f"{verdict} on {run}" for run, verdict in sorted(scenario.runs.items())) or "not run"
    return {"name": f"{scenario.entry.name} ({scenario.entry.location}): {runs}", "status": status,
            "start": now, "stop": now, "stage": "finished",
            "parameters": [{"name": run or "run", "value": _RUN_STATUS.get(verdict, verdict)}
                           for run, verdict in sorted(scenario.runs.items())]}


def description(rules: list[RuleVerdict]) -> str:
    """A table of the rules: verdict, why, a link to its scenarios (Behaviors, filtered by its tag) and to its text."""
    counts = tally(rules)
    rows = []
    for rule in rules:
        rows.append(
            f'<tr data-rule="{html.escape(rule.rule.id)}" data-verdict="{rule.verdict}">'
            f"<td><code>{html.escape(rule.rule.id)}</code></td><td>{html.escape(rule.rule.title)}</td>"
            f"<td><b>{rule.verdict}</b></td><td>{html.escape(rule.why)}</td>"
            f"<td><code>tag:{traceability.PREFIX}{html.escape(rule.rule.id)}</code></td>"
            f'<td><a href="{html.escape(contract.rule_url(rule.rule.id))}" target="_blank">the rule</a></td></tr>')
    return (f"<p>Of the {len(rules)} tracker rules of {contract.CONTRACT_DOC}: <b>{counts[VERIFIED]} verified</b> "
            f"(every scenario passed, on every runner and target that ran it), <b>{counts[FAILING]} failing</b> "
            f"(a scenario failed somewhere), <b>{counts[UNVERIFIED]} unverified</b> (no scenario, none selected, or one skipped everywhere)."
            " Each step below is a rule; open it for its scenarios and their verdict per runner and target. To see a"
            " rule's scenarios themselves, with their steps and evidence, type its search (tag:rule:&lt;id&gt;) into the"
            " search box of the Behaviors tab.</p>"
            "<table><tr><th>rule</th><th>title</th><th>verdict</th><th>why</th><th>Behaviors search</th><th></th></tr>"
            + "".join(rows) + "</table>")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=Path, default=Path("allure-results"), help="default allure-results")
    parser.add_argument("--features", type=Path, default=ROOT / "features", help="default features/")
    return parser


if __name__ == "__main__":
    sys.exit(main())
