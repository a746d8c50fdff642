"""The Locust runner reads Locust's JSON statistics the way Locust computes them, without importing locust."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.locust_runner import (
    REPO_ROOT,
    LoadResult,
    LoadRun,
    _parse_json,
    _percentile,
)

ROWS = [
    {"name": "delivery latency", "method": "WS", "num_requests": 100, "num_none_requests": 0, "num_failures": 1,
     "total_response_time": 1000.0, "max_response_time": 90.0, "response_times": {"5": 90, "40": 9, "90": 1},
     "num_reqs_per_sec": {"100": 50, "109": 50}},
    {"name": "session /ws/market", "method": "WS", "num_requests": 10, "num_none_requests": 10, "num_failures": 0,
     "total_response_time": 0, "max_response_time": 0, "response_times": {}, "num_reqs_per_sec": {"109": 10}},
]


def test_percentiles_follow_locusts_rule() -> None:
    histogram = {"5": 90, "40": 9, "90": 1}
    assert (_percentile(histogram, 0.5), _percentile(histogram, 0.95), _percentile(histogram, 0.99)) == (5, 40, 90)
    assert _percentile(histogram, 1.0) == 90
    assert _percentile({}, 0.99) == 0


def test_entries_total_and_untimed_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(ROWS))
    entries, total = _parse_json(path, 10)
    latency = next(e for e in entries if e.name == "delivery latency")
    assert (latency.requests, latency.failures, latency.p99_ms, latency.avg_ms) == (100, 1, 90, 10.0)
    assert latency.rps == 10.0  # 100 requests over the 10 s the run spans
    session = next(e for e in entries if e.name == "session /ws/market")
    assert session.timed == 0
    assert (total.requests, total.failures, total.untimed) == (110, 1, 10)


def test_table_shows_untimed_rows_without_times(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(ROWS))
    entries, total = _parse_json(path, 10)
    result = LoadResult(LoadRun("load/locustfile.py", "http://127.0.0.1:1", tmp_path), 0, 10.0, entries, total,
                        True, tmp_path / "l", tmp_path / "s", tmp_path / "h", path)
    table = result.table()
    assert "delivery latency" in table and "measurement spoiled" in table
    assert result.entry("WS session /ws/market").requests == 10
    assert result.entry("nothing").requests == 0


def test_the_runner_never_imports_locust() -> None:
    """Importing locust would monkey-patch the test process with gevent."""
    code = ("import sys, support.locust_runner, support.perf; "
            "sys.exit(bool({'locust', 'gevent'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=False).returncode == 0
