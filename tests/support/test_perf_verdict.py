"""A limits table judged on a Locust run: checks, report mode, summary.json and the failure message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.limits import Limit, LimitError
from support.locust_runner import LoadResult, LoadRun
from support.locust_stats import EntryStats, Stats
from support.perf_verdict import Check, check_limits, failed_entries, verdict

LATENCY = EntryStats("WS", "delivery latency", 200, 0, 30, 45, 52, 950, 31.5, 990, 10.0)
SESSIONS = EntryStats("WS", "session /ws/market", 50, 1, 0, 0, 0, 0, 0, 0, 1.0)
TOTAL = EntryStats("", "Aggregated", 250, 1, 30, 45, 52, 950, 31.5, 990, 11.0)


def _result(tmp_path: Path, *entries: EntryStats, cpu_warning: bool = False) -> LoadResult:
    run = LoadRun("load/locustfile.py", "http://127.0.0.1:1", tmp_path, users=50, run_time_s=15, name="streaming")
    return LoadResult(run, 0, 16.0, Stats(entries, TOTAL), cpu_warning, tmp_path / "streaming.log",
                      tmp_path / "streaming", tmp_path / "streaming.html")


@pytest.fixture(autouse=True)
def _enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERF_TIMING", raising=False)


def test_report_mode_warns_on_a_missed_timing_limit_but_still_fails_on_failures(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERF_TIMING", "report")
    slow = Check.of("delivery latency p99", Limit.parse("under 100 ms"), 950.0)
    failing = Check.of("failures", Limit.parse("under 1 %"), 6.0)
    assert (slow.ok, slow.passed, slow.line()) == (
        False, True, "WARN delivery latency p99: 950 ms (limit: under 100 ms) - reported only (PERF_TIMING=report)")
    assert (failing.ok, failing.passed, failing.line()) == (False, False, "MISS failures: 6 % (limit: under 1 %)")
    monkeypatch.setenv("PERF_TIMING", "enforce")
    assert not Check.of("delivery latency p99", Limit.parse("under 100 ms"), 950.0).passed
    assert Check.of("session /ws/market requests", Limit.parse("at least 1"), 50).line() == (
        "ok   session /ws/market requests: 50 (limit: at least 1)")


def test_a_table_becomes_checks_on_the_run(tmp_path: Path) -> None:
    table = [{"measure": "delivery latency p99 ", "limit": "under 100 ms"}, {"measure": "failures", "limit": "under 1 %"}]
    checks = check_limits(_result(tmp_path, LATENCY, SESSIONS), table)
    assert [(c.measure, c.actual, c.unit, c.ok) for c in checks] == [
        ("delivery latency p99", 950.0, "ms", False), ("failures", 0.4, "%", True)]


def test_a_measure_without_a_sample_fails_with_the_statistics(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="(?s)no sample of 'connect /ws/market' for 'connect time p95'.*delivery latency"):
        check_limits(_result(tmp_path, LATENCY), [{"measure": "connect time p95", "limit": "under 1,000 ms"}])
    with pytest.raises(LimitError, match="limit 'under 1 s' is not"):
        check_limits(_result(tmp_path, LATENCY), [{"measure": "delivery latency p99", "limit": "under 1 s"}])


def test_verdict_records_summary_json_and_fails_with_the_table(tmp_path: Path) -> None:
    result = _result(tmp_path, LATENCY, SESSIONS, cpu_warning=True)
    checks = check_limits(result, [{"measure": "delivery latency p99", "limit": "under 100 ms"}])
    with pytest.raises(AssertionError, match=r"(?s)load limits missed:\nMISS delivery latency p99: 950 ms.*"
                                             r"CPU went above 90 %.*delivery latency +200"):
        verdict(result, checks)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["scenario"] == "streaming" and summary["cpu_warning"] is True
    assert summary["checks"] == [{"measure": "delivery latency p99", "limit": "under 100 ms", "actual": "950 ms",
                                  "ok": False, "enforced": True}]
    verdict(result, check_limits(result, [{"measure": "failures", "limit": "under 1 %"}]))  # a met limit passes


def test_failed_entries_name_failures_and_missing_samples(tmp_path: Path) -> None:
    result = _result(tmp_path, LATENCY, SESSIONS)
    assert failed_entries(result, "delivery latency", "session /ws/market", "reconnect /ws/market") == [
        "WS session /ws/market: 1 of 50 failed", "reconnect /ws/market: no sample"]
