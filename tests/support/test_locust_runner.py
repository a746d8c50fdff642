"""The Locust runner reports Locust's own figures, without importing locust."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.locust_runner import REPO_ROOT, LoadResult, LoadRun, stats_csv
from support.locust_stats import EntryStats, Stats

LATENCY = EntryStats("WS", "delivery latency", 100, 1, 5, 40, 40, 90, 10.0, 91.2, 10.0)
SESSIONS = EntryStats("WS", "session /ws/market", 10, 0, 0, 0, 0, 0, 0, 0, 1.0)
TOTAL = EntryStats("", "Aggregated", 110, 1, 5, 40, 40, 90, 10.0, 91.2, 11.0)


def test_table_shows_untimed_rows_without_times(tmp_path: Path) -> None:
    result = LoadResult(LoadRun("load/locustfile.py", "http://127.0.0.1:1", tmp_path), 0, 10.0,
                        Stats((LATENCY, SESSIONS), TOTAL), True, tmp_path / "l", tmp_path / "s", tmp_path / "h")
    lines = result.table().splitlines()
    assert lines[2].split() == ["WS", "delivery", "latency", "100", "1", "5", "40", "90", "91", "10.0"]
    assert lines[3].split() == ["WS", "session", "/ws/market", "10", "0", "-", "-", "-", "-", "1.0"]
    assert "measurement spoiled" in lines[-1]
    assert result.entry("WS session /ws/market").requests == 10
    assert result.entry("nothing").requests == 0
    assert result.stats_csv == tmp_path / "s_stats.csv" == stats_csv(tmp_path / "s")


def test_the_suites_perf_modules_never_import_locust() -> None:
    """Importing locust would monkey-patch the test process with gevent."""
    code = ("import sys, support.locust_runner, support.load_plans, support.perf_verdict, support.throughput_verdict; "
            "sys.exit(bool({'locust', 'gevent'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=False).returncode == 0
