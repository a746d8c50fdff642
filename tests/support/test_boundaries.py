"""Every threshold of the contract keeps an example on each side of it, one smallest step apart.

BOUNDARIES is the one list of the thresholds the features pin down (issue 11, "tight boundaries"):
for each, the example just inside the rule and the one just outside it, named by the scenario
(or outline) that holds it and the values of its Examples row. Deleting or loosening such an
example, or untagging its rule, fails this check; a threshold the contract leaves open at the
exact value (a window "of the last 60 s": is 60 s in?) lists the values one step either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bdd_project import ROOT

from support import contract
from support.feature_scan import ScenarioEntry, scan

_PLACEHOLDER = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class Side:
    """One example: the scenario or outline (its name as written) and the values of its Examples row."""

    scenario: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Boundary:
    rule: str
    threshold: str
    feature: str  # under features/
    inside: Side
    outside: Side


_CLASSIFY = "A continuous trade at <price> counts as <side>"
_NO_ASK = "With a best ask of <ask>, a continuous trade above it counts as <side>"
_SPIKE = "Volume spike: <case>"
_SPIKE_AGE = "Trades <age> seconds old <count> towards the trailing 20 minutes"
_BREAKOUT = "A trade at <price> is a breakout towards the <direction>"
_NO_BREAKOUT = "A trade one VND inside the <limit> raises no alert"
_FOREIGN = "Foreign acceleration: <case>"
_FOREIGN_AGE = "A sample <age> seconds old <counts> as the reference"
_FLIP = "Futures flipping from <before> to <after> at <second> raise a warning"
_STAY = "Futures staying at a <kind> at <second> raise nothing"
_BASIS = "A futures trade at <price> shows a <kind> of <basis> points"
_DEDUP = "A repeated breakout after <seconds> seconds is registered <count> time(s)"
_DEDUP_PUSHED = "A repeated breakout after <seconds> seconds reaches an alert screen <count> time(s)"
_BUFFER = "After <later> later alerts the first one is <fate>"
_DEFAULT_LIMIT = "Asked without a limit, a history of <raised> alerts answers the newest <count>"
_QUERY = "A query with <parameter> set to <value> is <verdict>"
_SPEED = "Selling reported <age> seconds before <counts> towards the speed"
_TREND = "A basis point <age> seconds old is <kept> in the trend of the last 10 minutes"
_TREND_DEFAULT = "Asked without a window, the trend covers 30 minutes: a point <age> seconds old is <kept>"
_IP_LIMIT = "One address allowed <limit> dashboards: dashboard number <number> <outcome>"

BOUNDARIES: tuple[Boundary, ...] = (
    Boundary("classify", "at or above ask1 buys", "trading_flow/trade_classification.feature",
             Side(_CLASSIFY, {"price": "80.5", "side": "active buying"}), Side(_CLASSIFY, {"price": "80.499"})),
    Boundary("classify", "at or below bid1 sells", "trading_flow/trade_classification.feature",
             Side(_CLASSIFY, {"price": "80.0", "side": "active selling"}), Side(_CLASSIFY, {"price": "80.001"})),
    Boundary("classify", "ask1 > 0", "trading_flow/trade_classification.feature",
             Side(_NO_ASK, {"ask": "0.001", "side": "active buying"}), Side(_NO_ASK, {"ask": "0", "side": "neutral"})),
    Boundary("alert-volume-spike", "more than 3.0 x the mean", "alerts/volume_spike.feature",
             Side(_SPIKE, {"earlier": "9", "volume": "2,701", "outcome": "a"}),
             Side(_SPIKE, {"earlier": "9", "volume": "2,700", "outcome": "no"})),
    Boundary("alert-volume-spike", "at least 10 trades", "alerts/volume_spike.feature",
             Side(_SPIKE, {"earlier": "9", "volume": "50,000", "outcome": "a"}),
             Side(_SPIKE, {"earlier": "8", "volume": "50,000", "outcome": "no"})),
    Boundary("alert-volume-spike", "the trailing 20 minutes", "alerts/volume_spike.feature",
             Side(_SPIKE_AGE, {"age": "1199", "outcome": "a"}), Side(_SPIKE_AGE, {"age": "1201", "outcome": "no"})),
    Boundary("alert-price-breakout", "at or above the ceiling", "alerts/price_breakout.feature",
             Side(_BREAKOUT, {"price": "85.6", "direction": "ceiling"}), Side(_NO_BREAKOUT, {"price": "85.599"})),
    Boundary("alert-price-breakout", "at or below the floor", "alerts/price_breakout.feature",
             Side(_BREAKOUT, {"price": "74.4", "direction": "floor"}), Side(_NO_BREAKOUT, {"price": "74.401"})),
    Boundary("alert-foreign-acceleration", "a rise of more than 30 %", "alerts/foreign_acceleration.feature",
             Side(_FOREIGN, {"before": "2,000,000,000", "after": "2,600,000,001", "outcome": "a"}),
             Side(_FOREIGN, {"before": "2,000,000,000", "after": "2,600,000,000", "outcome": "no"})),
    Boundary("alert-foreign-acceleration", "a fall of more than 30 %", "alerts/foreign_acceleration.feature",
             Side(_FOREIGN, {"before": "2,000,000,000", "after": "1,399,999,999", "outcome": "a"}),
             Side(_FOREIGN, {"before": "2,000,000,000", "after": "1,400,000,000", "outcome": "no"})),
    Boundary("alert-foreign-acceleration", "a base of at least 1e9 VND", "alerts/foreign_acceleration.feature",
             Side(_FOREIGN, {"before": "1,000,000,000", "outcome": "a"}),
             Side(_FOREIGN, {"before": "999,999,999", "outcome": "no"})),
    Boundary("alert-foreign-acceleration", "a sample at least 5 minutes old", "alerts/foreign_acceleration.feature",
             Side(_FOREIGN_AGE, {"age": "300", "outcome": "a"}), Side(_FOREIGN_AGE, {"age": "299", "outcome": "no"})),
    Boundary("alert-basis-divergence", "a premium turning below 0", "alerts/basis_divergence.feature",
             Side(_STAY, {"kind": "premium", "second": "1250.1"}), Side(_FLIP, {"before": "premium", "second": "1249.9"})),
    Boundary("alert-basis-divergence", "a discount turning above 0", "alerts/basis_divergence.feature",
             Side(_STAY, {"kind": "discount", "second": "1249.9"}),
             Side(_FLIP, {"before": "discount", "second": "1250.1"})),
    Boundary("basis", "is_premium = basis > 0", "trading_flow/indices_and_derivatives.feature",
             Side(_BASIS, {"price": "1250.1", "kind": "premium"}), Side(_BASIS, {"price": "1250.0", "kind": "basis"})),
    Boundary("alert-dedup", "once per 60 s (history)", "alerts/alert_history.feature",
             Side(_DEDUP, {"seconds": "59", "count": "1"}), Side(_DEDUP, {"seconds": "61", "count": "2"})),
    Boundary("alert-dedup", "once per 60 s (pushed)", "alerts/alert_history.feature",
             Side(_DEDUP_PUSHED, {"seconds": "59", "count": "1"}), Side(_DEDUP_PUSHED, {"seconds": "61", "count": "2"})),
    Boundary("alert-buffer", "the newest 500 alerts", "alerts/alert_history.feature",
             Side(_BUFFER, {"later": "499", "fate": "kept"}), Side(_BUFFER, {"later": "500", "fate": "discarded"})),
    Boundary("rest-alerts", "a default limit of 50", "alerts/alert_history.feature",
             Side(_DEFAULT_LIMIT, {"raised": "50", "count": "50"}), Side(_DEFAULT_LIMIT, {"raised": "51", "count": "50"})),
    Boundary("rest-alerts", "limit of at least 1", "trading_flow/robustness.feature",
             Side(_QUERY, {"parameter": "limit", "value": "1", "verdict": "answered"}),
             Side(_QUERY, {"parameter": "limit", "value": "0", "verdict": "refused with a reason"})),
    Boundary("rest-alerts", "limit of at most 200", "trading_flow/robustness.feature",
             Side(_QUERY, {"parameter": "limit", "value": "200", "verdict": "answered"}),
             Side(_QUERY, {"parameter": "limit", "value": "201", "verdict": "refused with a reason"})),
    Boundary("rest-basis-trend", "minutes of at least 1", "trading_flow/robustness.feature",
             Side(_QUERY, {"parameter": "minutes", "value": "1", "verdict": "answered"}),
             Side(_QUERY, {"parameter": "minutes", "value": "0", "verdict": "refused with a reason"})),
    Boundary("rest-basis-trend", "minutes of at most 120", "trading_flow/robustness.feature",
             Side(_QUERY, {"parameter": "minutes", "value": "120", "verdict": "answered"}),
             Side(_QUERY, {"parameter": "minutes", "value": "121", "verdict": "refused with a reason"})),
    Boundary("foreign-speed", "the trailing 5 minutes", "foreign_tracking/foreign_flow.feature",
             Side(_SPEED, {"age": "299", "speed": "3,000"}), Side(_SPEED, {"age": "301", "speed": "1,000"})),
    Boundary("basis-trend", "the last `minutes` (10)", "trading_flow/indices_and_derivatives.feature",
             Side(_TREND, {"age": "599", "kept": "kept"}), Side(_TREND, {"age": "601", "kept": "not kept"})),
    Boundary("basis-trend", "the last 30 minutes by default", "trading_flow/indices_and_derivatives.feature",
             Side(_TREND_DEFAULT, {"age": "1799", "kept": "in"}), Side(_TREND_DEFAULT, {"age": "1801", "kept": "out"})),
    Boundary("ws-ip-limit", "WS_MAX_CONNECTIONS_PER_IP open connections (5)", "trading_flow/dashboards.feature",
             Side(_IP_LIMIT, {"limit": "5", "number": "5", "outcome": "receives the trade of VNM"}),
             Side(_IP_LIMIT, {"limit": "5", "number": "6", "outcome": "is closed for a policy violation"})),
    Boundary("active-contract", "the most volume (a tie is open)", "trading_flow/indices_and_derivatives.feature",
             Side("A contract that trades one contract more than the active one takes over"),
             Side("A contract one contract short of the active one does not take over")),
    Boundary("daily-reset", "at 15:05, inclusive", "session_lifecycle/daily_reset.feature",
             Side("At 15:05:00 exactly the day is over"), Side("A tick before 15:05 resets nothing")),
)


def missing_sides(entries: list[ScenarioEntry], boundaries: tuple[Boundary, ...] = BOUNDARIES) -> list[str]:
    """What is missing, one line per side: no scenario with those values, or one that does not name the rule."""
    problems = []
    for boundary in boundaries:
        for which, side in (("inside", boundary.inside), ("outside", boundary.outside)):
            found = [entry for entry in entries
                     if entry.path == f"features/{boundary.feature}" and _is_row_of(entry, side)]
            where = f"[{boundary.rule}] {boundary.threshold}, {which}: {side.scenario!r} with {side.values}"
            if not found:
                problems.append(f"{where}: no such example in features/{boundary.feature}")
            elif not any(boundary.rule in entry.rules for entry in found):
                problems.append(f"{where}: the example is not tagged @rule:{boundary.rule}")
    return problems


def _is_row_of(entry: ScenarioEntry, side: Side) -> bool:
    values = dict(entry.parameters)
    filled = _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), side.scenario)
    return entry.name == filled and all(values.get(column) == value for column, value in side.values.items())


def test_every_threshold_has_an_example_on_each_side() -> None:
    problems = missing_sides(scan(ROOT / "features", root=ROOT))
    assert not problems, "examples missing at a threshold of the contract:\n" + "\n".join(problems)


def test_every_threshold_names_a_tracker_rule() -> None:
    tracker_rules = set(contract.load().tracker_ids)
    assert {boundary.rule for boundary in BOUNDARIES} <= tracker_rules


def test_a_missing_or_untagged_side_is_named(tmp_path: Path) -> None:
    (tmp_path / "features" / "area").mkdir(parents=True)
    (tmp_path / "features" / "area" / "limit.feature").write_text(
        "Feature: Limits\n\n"
        "  @rule:alpha\n"
        "  Scenario Outline: A value of <value> is <verdict>\n"
        "    Given nothing\n\n"
        "    Examples:\n"
        "      | value | verdict  |\n"
        "      | 5     | accepted |\n\n"
        "  Scenario: Six is refused\n"
        "    Given nothing\n", encoding="utf-8")
    entries = scan(tmp_path / "features", root=tmp_path)
    five, six = Side("A value of <value> is <verdict>", {"value": "5"}), Side("A value of <value> is <verdict>",
                                                                             {"value": "6"})
    assert missing_sides(entries, (Boundary("alpha", "at most 5", "area/limit.feature", five, six),)) == [
        ("[alpha] at most 5, outside: 'A value of <value> is <verdict>' with {'value': '6'}: no such example in "
         "features/area/limit.feature")]
    assert missing_sides(entries, (Boundary("alpha", "at most 5", "area/limit.feature", five, Side("Six is refused")),)) == [
        "[alpha] at most 5, outside: 'Six is refused' with {}: the example is not tagged @rule:alpha"]
