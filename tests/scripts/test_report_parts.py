"""What the report build adds to a results folder: the contract's overview lines and result, the benchmark report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT_NAME = "Benchmark report (make bench-ci: bench/profile_tracker.py, bench/report.py)"


def _result(folder: Path, name: str, feature: str, status: str = "passed", **parameters: str) -> Path:
    path = folder / f"{name.replace(' ', '_')}-{'-'.join(parameters.values())}-result.json"
    path.write_text(json.dumps({"name": name, "status": status, "stop": 1, "attachments": [],
                                "labels": [{"name": "feature", "value": feature}],
                                "parameters": [{"name": k, "value": v} for k, v in parameters.items()]}))
    return path


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)


def test_the_contract_overview_goes_first_in_the_environment_once_however_often_it_runs(tmp_path: Path) -> None:
    (tmp_path / "environment.properties").write_text("runner=pytest-bdd\ntarget=wired\n")
    for feature_run in ("pytest-bdd", "behave"):
        _result(tmp_path, "The summary totals every symbol", "Foreign investor flow", runner=feature_run, target="wired")
        _result(tmp_path, "The top buyers and sellers are ranked by net value", "Foreign investor flow",
                runner=feature_run, target="wired")
    _result(tmp_path, "The top buyers and sellers are ranked by net value", "Foreign investor flow", "failed",
            runner="pytest-bdd", target="live")
    for _ in range(2):
        done = _run("scripts/contract_overview.py", "--results", str(tmp_path))
    lines = (tmp_path / "environment.properties").read_text().splitlines()
    assert lines[:3] == ["Contract\\ rules\\ verified=0 of 57", "Contract\\ rules\\ failing=1 of 57: foreign-summary",
                         lines[2]] and lines[3:] == ["runner=pytest-bdd", "target=wired"], lines
    assert lines[2].startswith("Contract\\ rules\\ unverified=56 of 57: config-env, "), lines[2]
    assert "0 of 57 rules verified, 1 failing, 56 unverified" in done.stdout
    result = json.loads((tmp_path / "vn30-contract-rules-result.json").read_text())
    assert result["status"] == "failed" and result["name"].startswith("Contract rules: 0 of 57 verified")
    step = next(s for s in result["steps"] if s["name"].startswith("[foreign-summary]"))
    assert step["status"] == "failed" and [s["name"].split(" (")[0] for s in step["steps"]] == [
        "The summary totals every symbol", "The top buyers and sellers are ranked by net value"]
    assert step["steps"][1]["name"].endswith(
        ": passed on behave on wired, failed on pytest-bdd on live, passed on pytest-bdd on wired")


def test_the_benchmark_report_goes_on_the_throughput_results_only_and_replaces_its_earlier_copy(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    throughput = [_result(results, "The tracker keeps up with a busy market", "Processing throughput", runner=r,
                          target="wired") for r in ("pytest-bdd", "behave")]
    other = _result(results, "The summary totals every symbol", "Foreign investor flow", runner="behave", target="wired")
    report = tmp_path / "performance_report.md"
    report.write_text("# Performance report: VN30 tracker\n")
    for _ in range(2):
        done = _run("bench/attach_report.py", "--results", str(results), "--report", str(report),
                    "--figures", str(tmp_path / "none.json"))
    assert "attached to 2 result(s)" in done.stdout
    for path in throughput:
        attachments = json.loads(path.read_text())["attachments"]
        assert [a["name"] for a in attachments] == [REPORT_NAME]
        assert (results / attachments[0]["source"]).read_text() == report.read_text()
    assert json.loads(other.read_text())["attachments"] == []
    assert len(list(results.glob("*-attachment.txt"))) == 2  # the first run's copies are gone
