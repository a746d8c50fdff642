"""Locust's figures are read from the `_stats.csv` Locust writes, as it writes them (Locust 2.47's columns)."""

from __future__ import annotations

import pytest

from support.locust_stats import EntryStats, StatsFileError, read_stats

# A made-up run in the exact layout of Locust 2.47's `--csv <prefix>` `_stats.csv`: a timed entry
# with failures, an entry whose requests carry no response time (sessions), an entry Locust
# has no request for (`N/A` percentiles) and the Aggregated row (empty Type).
STATS_CSV = """\
Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
WS,delivery latency,100,1,5,10.0,2.5,91.2,23000.0,10.0,0.1,5,5,5,5,40,40,40,90,91,91,91
WS,session /ws/market,10,0,0,0.0,0,0,0.0,1.0,0.0,0,0,0,0,0,0,0,0,0,0,0
GET,/api/market/alerts,0,0,0,0.0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
,Aggregated,110,1,5,10.0,2.5,91.2,20909.1,11.0,0.1,5,5,5,5,40,40,40,90,91,91,91
"""


def test_percentiles_and_counts_are_locusts_own() -> None:
    latency = read_stats(STATS_CSV).entry("delivery latency")
    assert latency == EntryStats("WS", "delivery latency", requests=100, failures=1, median_ms=5, p90_ms=40,
                                 p95_ms=40, p99_ms=90, avg_ms=10.0, max_ms=91.2, rps=10.0)
    assert latency.timed and latency.fail_ratio == 0.01


def test_rows_without_response_times_are_not_timed() -> None:
    stats = read_stats(STATS_CSV)
    assert stats.entry("session /ws/market").requests == 10
    assert not stats.entry("session /ws/market").timed
    assert stats.entry("/api/market/alerts").p99_ms == 0  # N/A


def test_entries_by_name_by_method_and_name_and_the_aggregated_row() -> None:
    stats = read_stats(STATS_CSV)
    assert stats.entry("WS session /ws/market") is stats.entry("session /ws/market")
    assert stats.entry("Aggregated") is stats.total
    assert (stats.total.requests, stats.total.failures, stats.total.method) == (110, 1, "")
    assert [e.name for e in stats.entries] == ["/api/market/alerts", "delivery latency", "session /ws/market"]
    assert stats.entry("nothing") == EntryStats.empty("nothing")


def test_a_file_that_is_not_locusts_stats_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(StatsFileError, match=r"out_stats\.csv is not Locust's _stats\.csv: it has no column 'Average Response Time', .*'99%'"):
        read_stats("Type,Name,Request Count,Failure Count\n", source="out_stats.csv")
    without_total = "\n".join(line for line in STATS_CSV.splitlines() if "Aggregated" not in line)
    with pytest.raises(StatsFileError, match="no 'Aggregated' row"):
        read_stats(without_total)
