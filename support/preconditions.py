"""The conformance check run once before the scenarios: what every scenario relies on, named once when broken.

    conformance = preconditions.check(options)     # starts one tracker, checks, stops it; once per run
    conformance.failure()                          # the first failed Finding, or None
    conformance.clock                              # "control", "faketime" or None (then .clock_reason)

A tracker whose watchlist is empty would otherwise fail sixty scenarios sixty ways after a
deadline each; here it fails one check, by name, and every scenario cites it at once
(World.target). The check also decides how the run moves the tracker's clock (`--clock`):
test control when the tracker answers it, else libfaketime, proven on this tracker by the
`last_updated` of a trade before and after a jump.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support import market, precondition_cache, reaper
from support.conformance import Conformance, Finding
from support.errors import ScenarioSkip, TargetError
from support.eventually import eventually
from support.faketime import FakeClock
from support.http_client import HttpClient
from support.targets import Target, TargetOptions, create_target
from support.tracker_api import TrackerApi
from support.upstream import SimulatorFeed

CHECK_TIMEOUT_S = 10.0
PROBE_OFFSET_S = 2 * 3600.0    # the probe tracker starts two hours ahead of real time
PROBE_JUMP_S = 600.0           # then jumps ten minutes forward
CLOCK_TOLERANCE_S = 60.0       # how far a trade's last_updated may be from the clock the suite set
PROBE_VOLUME = 100
# [subscribe]: the data a tracker must ask for, with the channel names that carry each
SUBSCRIPTIONS: dict[str, tuple[frozenset[str], ...]] = {
    "trades": (frozenset({"X"}), frozenset({"X-TRADE"})),
    "quotes": (frozenset({"X"}), frozenset({"X-QUOTE"})),
    "foreign room": (frozenset({"R"}),),
    "indices": (frozenset({"MI"}),),
    "bars": (frozenset({"B"}),),
}


SUBSCRIPTION_EXPECTED = ("a stream subscription to trades, quotes, foreign room, indices and bars (X, R, MI, B or "
                         "their narrower forms)")


_cache: dict[TargetOptions, Conformance] = {}


def check(options: TargetOptions) -> Conformance:
    """The run's conformance for `options`, checked on first call (one tracker started and stopped), once for
    all the processes of a run that share their verdicts (xdist's workers: support/precondition_cache.py)."""
    if options not in _cache:
        _cache[options] = precondition_cache.once(options, lambda: _check(options))
    return _cache[options]


def _check(options: TargetOptions) -> Conformance:
    began = time.monotonic()
    try:
        target = create_target(options)
    except ScenarioSkip as skip:
        return Conformance(skipped=str(skip), clock_reason=str(skip))
    folder = tempfile.TemporaryDirectory(prefix="vn30-preconditions-")
    probe = _Probe(options, target, Path(folder.name))
    try:
        probe.run()
    finally:
        probe.close()
        reaper.stop_later(_Finished(target, folder))
    probe.result.took_s = time.monotonic() - began
    return probe.result


class _Finished:
    """The probe's tracker, stopped in the background (not on the run's start-up clock; a stop that fails or
    times out is reported when the run drains, it is no precondition's verdict), then its clock's folder."""

    def __init__(self, target: Target, folder: tempfile.TemporaryDirectory[str]) -> None:
        self.name, self._target, self._folder = f"preconditions' {target.name}", target, folder

    def stop(self) -> None:
        try:
            self._target.stop()
        finally:
            self._folder.cleanup()


class _Probe:
    """One tracker, the checks in order; a failed check leaves the later ones "not checked"."""

    def __init__(self, options: TargetOptions, target: Target, folder: Path) -> None:
        self.options, self.target = options, target
        self.result = Conformance()
        self.fake: FakeClock | None = None
        if options.clock in ("auto", "faketime") and "faketime" in target.capabilities:
            folder.chmod(0o755)  # a container's user reads the clock's file too
            self.fake = FakeClock.in_folder(folder)
            self.fake.advance(PROBE_OFFSET_S)
        self._api: TrackerApi | None = None
        self._feed: SimulatorFeed | None = None

    def run(self) -> None:
        checks: list[tuple[str, str, str, Callable[[], str]]] = [
            ("healthy", "rest-health", "GET /health to answer 200 with {\"status\": \"ok\"}", self._healthy),
        ]
        if "upstream" in self.target.capabilities:
            checks += [
                ("authenticated", "subscribe", "an access token from SSI_CONSUMER_ID and SSI_CONSUMER_SECRET",
                 self._authenticated),
                ("subscribed", "subscribe", SUBSCRIPTION_EXPECTED, self._subscribed),
                ("watchlist", "watchlist", "the VN30 components the exchange serves", self._watchlist),
                ("trade reaches the snapshot", "rest-snapshot",
                 f"a trade of {PROBE_VOLUME} shares of a basket stock to show in the snapshot's session stats",
                 self._trade),
            ]
        failed = False
        for name, rule, expected, run_check in checks:
            if failed:
                self.result.findings.append(Finding(name, "not checked", "an earlier precondition failed", expected, rule))
                continue
            try:
                seen = run_check()
                self.result.findings.append(Finding(name, "passed", seen, expected, rule))
            except AssertionError as error:
                failed = True
                self.result.findings.append(Finding(name, "failed", _one_paragraph(error), expected, rule))
            except TargetError as error:  # the tracker could not be started or reached: infrastructure
                failed = True
                self.result.findings.append(Finding(name, "broken", _one_paragraph(error), expected, rule))
            except Exception as error:  # noqa: BLE001 - reported as the check's own error, not as the tracker's
                failed = True
                self.result.findings.append(Finding(name, "broken", f"{type(error).__name__}: {error}", expected, rule))
        self._resolve_clock(traded=not failed)

    def close(self) -> None:
        for client in (self._api.http if self._api else None, self._feed.http if self._feed else None):
            if client is not None:
                client.close()

    # -- the checks ------------------------------------------------------------------------------
    def _healthy(self) -> str:
        self.target.start({}, clock=self.fake, subscribed=False)
        http = HttpClient(self.target.tracker_url)
        try:
            response = http.get("/health")
        finally:
            http.close()
        body = _json(response)
        assert response.status_code == 200 and isinstance(body, dict) and body.get("status") == "ok", (
            f"GET /health answered {response.status_code} {response.text[:200]}")
        return f"GET /health answered 200 {{\"status\": \"ok\"}} at {self.target.tracker_url}"

    def _authenticated(self) -> str:
        def answered() -> tuple[int, list[str]]:
            state = self.feed.state()
            requests, refusals = int(state.get("token_requests", 0)), list(state.get("token_refusals", []))
            assert requests, "the tracker has asked the exchange for no access token"
            return requests, refusals
        requests, refusals = eventually(answered, timeout=CHECK_TIMEOUT_S)
        issued = requests - len(refusals)
        assert issued, f"the exchange refused all {requests} of its access-token request(s): {refusals[-1]}"
        return f"{issued} access token(s) issued"

    def _subscribed(self) -> str:
        def subscribed() -> list[str]:
            connections = self.feed.state().get("connections", [])
            channels = [channel for c in connections for channel in c.get("channels", [])]
            missing = [data for data, names in SUBSCRIPTIONS.items() if not _covered(names, channels)]
            assert connections and not missing, (
                f"the tracker's stream subscription ({', '.join(channels) or 'none'}) lacks "
                f"{', '.join(missing)}" if connections else "the tracker has opened no stream connection")
            return channels
        return "subscribed to " + ", ".join(eventually(subscribed, timeout=self.options.startup_timeout_s))

    def _watchlist(self) -> str:
        basket = sorted(self.feed.state().get("vn30", []))

        def matches() -> list[str]:
            body = self.api.http.get_json("/api/vn30-components")
            symbols = body.get("symbols") if isinstance(body, dict) else None
            assert isinstance(symbols, list), f"GET /api/vn30-components answered {body!r}, not {{\"symbols\": [...]}}"
            assert sorted(map(str, symbols)) == basket, (
                f"the tracker's VN30 components are {sorted(map(str, symbols)) or 'empty'}; the exchange serves "
                f"{len(basket)}: {basket}")
            return basket
        return f"the {len(eventually(matches, timeout=CHECK_TIMEOUT_S))} VN30 components the exchange serves"

    def _trade(self) -> str:
        symbol = _first_symbol(self.feed.state())
        self.feed.publish([market.trade(symbol, PROBE_VOLUME, 50.0)])
        self._wait_volume(symbol, PROBE_VOLUME)
        return f"{PROBE_VOLUME} shares of {symbol} shown in the snapshot"

    # -- the clock -------------------------------------------------------------------------------
    def _resolve_clock(self, *, traded: bool) -> None:
        wanted, result = self.options.clock, self.result
        control = "clock" in self.target.capabilities
        if wanted == "none":
            result.clock_reason = "--clock=none"
        elif control and wanted in ("auto", "control"):
            result.clock = "control"
        elif wanted == "control":
            result.clock_reason = ("--clock=control, but the tracker does not answer GET /__test__/clock "
                                   "(the reference tracker's test control: TRACKER_TEST_CONTROL=1)")
        elif self.fake is None:
            result.clock_reason = (f"the tracker has no test control, and libfaketime cannot reach it on target "
                                   f"{self.target.name!r}" + ("" if "faketime" in self.target.capabilities
                                                              else f" ({_no_faketime(self.target)})"))
        elif not traded:
            result.clock_reason = "libfaketime could not be tried: a precondition failed"
        else:
            try:
                problem = self._faketime_problem()
            except AssertionError as error:
                problem = f"after libfaketime moved its clock, the tracker {_one_paragraph(error)}"
            result.clock, result.clock_reason = (None, problem) if problem else ("faketime", "")

    def _faketime_problem(self) -> str | None:
        """None when the tracker's trade timestamps follow the faked clock, before and after a jump."""
        assert self.fake is not None
        symbol = _first_symbol(self.feed.state())
        for moved in (0.0, PROBE_JUMP_S):
            expected = self.fake.advance(moved)
            self.feed.publish([market.trade(symbol, PROBE_VOLUME, 50.0)])
            self._wait_volume(symbol, market.traded_volume(self.feed.published, symbol))
            stamp = self.api.session_stats(symbol).get("last_updated")
            try:
                seen = dt.datetime.fromisoformat(str(stamp))
            except ValueError:
                return f"its session stats' last_updated {stamp!r} is not an ISO time, so the clock cannot be seen"
            if seen.tzinfo is None or abs((seen - expected).total_seconds()) > CLOCK_TOLERANCE_S:
                return (f"under libfaketime a trade at {expected.isoformat(timespec='seconds')} shows last_updated "
                        f"{stamp}: the tracker's clock does not follow libfaketime (a static binary, or a clock "
                        "read past the C library)")
        return None

    # -- drivers -----------------------------------------------------------------------------------
    @property
    def api(self) -> TrackerApi:
        if self._api is None:
            self._api = TrackerApi(HttpClient(self.target.tracker_url, keepalive=self.fake is None))
        return self._api

    @property
    def feed(self) -> SimulatorFeed:
        if self._feed is None:
            assert self.target.simulator_url is not None
            self._feed = SimulatorFeed(HttpClient(self.target.simulator_url, label="simulator"))
        return self._feed

    def _wait_volume(self, symbol: str, volume: int) -> None:
        def shown() -> None:
            seen = self.api.session_stats(symbol).get("total_volume")
            assert seen == volume, f"the snapshot shows {seen!r} shares of {symbol} traded, not {volume}"
        eventually(shown, timeout=CHECK_TIMEOUT_S)


def _first_symbol(state: dict[str, Any]) -> str:
    """A stock of the exchange's basket, the same one every time."""
    return str(min(state.get("vn30") or ["VNM"]))


def _covered(alternatives: tuple[frozenset[str], ...], channels: list[str]) -> bool:
    names = {channel.split(":", 1)[0].upper() for channel in channels}
    return any(alternative <= names for alternative in alternatives)


def _no_faketime(target: Target) -> str:
    from support import faketime
    return faketime.unavailable_reason() or "the suite does not start this tracker's process"


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _one_paragraph(error: BaseException) -> str:
    text = str(error).strip()
    first, _, _ = text.partition("\n(still so after")
    return first.strip()
