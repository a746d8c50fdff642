"""The one limit grammar: bounds, numbers, units, measures of Locust's rows, and errors that show the form."""

from __future__ import annotations

import pytest

from support.limits import Limit, LimitError, Threshold, parse_thresholds
from support.locust_stats import EntryStats, Stats

LATENCY = EntryStats("WS", "delivery latency", 200, 2, 30, 45, 52, 61, 31.5, 90, 10.0)
SESSIONS = EntryStats("WS", "session /ws/market", 50, 0, 0, 0, 0, 0, 0, 0, 1.0)  # no response times
POLLS = EntryStats("GET", "/api/market/foreign-detail", 100, 0, 40, 70, 86, 110, 45, 120, 5.0)
STATS = Stats((LATENCY, SESSIONS, POLLS), EntryStats("", "Aggregated", 350, 2, 30, 60, 80, 100, 40, 120, 16.0))


@pytest.mark.parametrize(("limit", "actual", "holds"), [
    ("under 100 ms", 99.9, True), ("under 100 ms", 100.0, False),
    ("at most 0", 0.0, True), ("at most 0", 1.0, False),
    ("at least 50,000 msg/s", 50_000.0, True), ("at least 50,000 msg/s", 49_999.0, False),
    ("above 2 MB", 2.5, True), ("above 2 MB", 2.0, False),
])
def test_every_bound_at_its_edge(limit: str, actual: float, holds: bool) -> None:
    assert Limit.parse(limit).holds(actual) is holds


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("under 100 ms", 100.0, "ms"), ("under 100ms", 100.0, "ms"), ("under 1 %", 1.0, "%"), ("under 0.5%", 0.5, "%"),
    ("at least 50,000 msg/s", 50_000.0, "msg/s"), ("at least 1,250,000 messages/s", 1_250_000.0, "msg/s"),
    ("under 50 MB", 50.0, "MB"), ("at most 0", 0.0, ""), ("  under   1,000   ms ", 1_000.0, "ms"),
])
def test_numbers_and_units(text: str, value: float, unit: str) -> None:
    limit = Limit.parse(text)
    assert (limit.value, limit.unit) == (value, unit)
    assert str(limit) == " ".join(text.split())


@pytest.mark.parametrize("text", ["100 ms", "below 100 ms", "under ms", "under 100 s", "under 1,00 ms",
                                  "under -1 ms", "under 100 ms please", ""])
def test_a_limit_out_of_the_grammar_is_refused_showing_the_form(text: str) -> None:
    with pytest.raises(LimitError, match=r"is not '<under\|at most\|at least\|above> <number> \[ms\|%\|msg/s\|MB\]'"):
        Limit.parse(text)


def test_a_limit_in_the_wrong_unit_for_its_measure_is_refused() -> None:
    with pytest.raises(LimitError, match=r"limit 'under 1 %' of 'delivery latency p99' is in %: give it in ms"):
        Threshold.parse("delivery latency p99", "under 1 %")
    with pytest.raises(LimitError, match="is a plain number: give it in ms"):
        Threshold.parse("snapshot p95", "under 200")
    with pytest.raises(LimitError, match="give it in % or as a plain number"):
        Threshold.parse("failures", "under 1 ms")


@pytest.mark.parametrize(("measure", "entry", "statistic"), [
    ("delivery latency p99", "delivery latency", "p99"), ("foreign detail p95", "/api/market/foreign-detail", "p95"),
    ("connect time median", "connect /ws/market", "median"), ("reconnect time max", "reconnect /ws/market", "max"),
    ("session /ws/market requests", "session /ws/market", "requests"), ("failures", "Aggregated", "failures"),
    ("snapshot   avg", "/api/market/snapshot", "avg"), ("alerts p90", "/api/market/alerts", "p90"),
])
def test_measures_name_an_entry_and_a_statistic(measure: str, entry: str, statistic: str) -> None:
    limit = "at least 1" if statistic in ("requests", "failures") else "under 1 ms"
    threshold = Threshold.parse(measure, limit)
    assert (threshold.entry, threshold.statistic) == (entry, statistic)


def test_a_measure_without_a_statistic_or_an_entry_is_refused() -> None:
    with pytest.raises(LimitError, match="does not end with a statistic: write '<entry> <p50|"):
        Threshold.parse("delivery latency", "under 100 ms")
    with pytest.raises(LimitError, match="names no entry: e.g. 'delivery latency p99'"):
        Threshold.parse("p99", "under 100 ms")


@pytest.mark.parametrize(("measure", "limit", "reading"), [
    ("delivery latency p99", "under 100 ms", 61.0), ("delivery latency p50", "under 100 ms", 30.0),
    ("delivery latency median", "under 100 ms", 30.0), ("delivery latency p90", "under 100 ms", 45.0),
    ("delivery latency avg", "under 100 ms", 31.5), ("delivery latency max", "under 100 ms", 90.0),
    ("foreign detail p95", "under 200 ms", 86.0), ("WS delivery latency p95", "under 100 ms", 52.0),
    ("delivery latency failures", "at most 0", 2.0), ("delivery latency failures", "under 1 %", 1.0),
    ("failures", "under 1 %", 100 * 2 / 350), ("session /ws/market requests", "at least 1", 50.0),
    ("alerts requests", "at least 1", 0.0),  # an entry the run never reported has no requests
])
def test_readings_in_the_limits_unit(measure: str, limit: str, reading: float) -> None:
    assert Threshold.parse(measure, limit).reading(STATS) == pytest.approx(reading)


@pytest.mark.parametrize("measure", ["session /ws/market p99", "alerts p95", "alerts failures"])
def test_no_sample_is_no_reading(measure: str) -> None:
    limit = "under 1 %" if measure.endswith("failures") else "under 100 ms"
    assert Threshold.parse(measure, limit).reading(STATS) is None


def test_thresholds_are_the_same_sentences_joined_by_semicolons() -> None:
    spec = "delivery latency p99 under 100 ms; foreign detail p95 at most 200 ms;; failures under 1 %;"
    thresholds = parse_thresholds(spec)
    assert [str(t) for t in thresholds] == ["delivery latency p99 under 100 ms", "foreign detail p95 at most 200 ms",
                                            "failures under 1 %"]
    assert thresholds[1] == Threshold.parse("foreign detail p95", "at most 200 ms")
    assert [t.holds(r) for t in thresholds if (r := t.reading(STATS)) is not None] == [True, True, True]
    assert parse_thresholds("") == []


@pytest.mark.parametrize(("spec", "message"), [
    ("delivery latency:p99<100", r"threshold 'delivery latency:p99<100' is not '<measure> <limit>'"),
    ("failures under 1 %; snapshot p95 below 200 ms", r"threshold 'snapshot p95 below 200 ms' is not"),
    ("snapshot p95 under 200", r"limit 'under 200' of 'snapshot p95' is a plain number: give it in ms"),
])
def test_a_bad_threshold_is_named(spec: str, message: str) -> None:
    with pytest.raises(LimitError, match=message):
        parse_thresholds(spec)
