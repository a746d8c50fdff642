"""The upstream consumer: keeps one SSI stream alive and feeds every Broadcast to the tracker."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from tracker.settings import Settings
from tracker.ssi_client import SignalRStream, SsiRestClient, upstream_http

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
TOKEN_CHECK_S = 1.0   # how often a connected tracker looks at its token's age (cheap: two timestamps)
TOKEN_RETRY_S = 60.0  # after a refresh that failed, or gave a token already near its end (clocks apart)
# A burst of frames already read from the socket is processed without the loop getting a turn in between;
# past this much work in a row the consumer lets the loop run its timers and clients ([perf-loop-lag]).
YIELD_AFTER_S = 0.0003


class UpstreamState(enum.Enum):
    IDLE = "idle"                  # not started
    CONNECTING = "connecting"      # first connection attempt(s), never connected yet
    CONNECTED = "connected"        # stream started and subscribed
    RECONNECTING = "reconnecting"  # lost after being connected, backing off
    STOPPED = "stopped"


class UpstreamSink(Protocol):
    """What the consumer drives; the tracker service implements it."""

    def load_vn30(self, symbols: list[str]) -> None: ...
    def ingest_payload(self, payload: str) -> object: ...
    def upstream_connected(self, securities: list[dict[str, Any]] | None) -> None: ...
    def upstream_lost(self) -> None: ...


def backoff(initial: float = 2.0, maximum: float = 60.0) -> Iterator[float]:
    """2, 4, 8, ... capped at 60 ([outage-backoff], docs/CONTRACT.md)."""
    delay = initial
    while True:
        yield min(delay, maximum)
        delay = min(delay * 2, maximum)


class UpstreamConsumer:
    """`await run()` until cancelled; reconnects with backoff, re-authenticating every time.

    While connected it keeps its access token fresh: with less than an hour left by `clock` (the
    tracker's), it asks for a new one, though the stream itself needs none until it reconnects.

    Each delay runs from the start of the failed attempt (or from the moment the stream was lost),
    read on `now` (the tracker's clock, in seconds), and is waited out with `sleep` (the tracker's
    clock-aware sleep, tracker/clock_sleep.py): what the attempt itself took counts towards it.
    """

    def __init__(self, settings: Settings, sink: UpstreamSink, *, sleep: Sleep = asyncio.sleep,
                 now: Callable[[], float] | None = None,
                 delays: Callable[[], Iterator[float]] | None = None,
                 on_state: Callable[[UpstreamState], None] | None = None,
                 clock: Callable[[], datetime] | None = None, token_check_s: float = TOKEN_CHECK_S) -> None:
        self._settings = settings
        self._sink = sink
        self._sleep = sleep
        self._token_clock = clock or (lambda: datetime.now(UTC))
        self._token_check_s = token_check_s
        self._now = now
        self._delays = delays or (lambda: backoff(settings.reconnect_initial_s, settings.reconnect_max_s))
        self._on_state = on_state
        self._ever_connected = False
        self.state = UpstreamState.IDLE
        self.attempts = 0

    async def run(self) -> None:
        http = upstream_http(10.0)
        rest = SsiRestClient(self._settings.base_url, self._settings.consumer_id,
                             self._settings.consumer_secret, http=http, clock=self._token_clock)
        delays = self._delays()
        self._set_state(UpstreamState.CONNECTING)
        try:
            while True:
                began = self._clock()
                connected = await self._session(rest, http)
                if connected:
                    began = self._clock()  # a lost stream: the first delay runs from the loss
                    delays = self._delays()
                    self._set_state(UpstreamState.RECONNECTING)
                    self._sink.upstream_lost()
                delay = next(delays)
                log.info("SSI stream: next attempt in %.1f s", delay)
                await self._sleep(max(0.0, delay - (self._clock() - began)))
        finally:
            self._set_state(UpstreamState.STOPPED)
            await http.aclose()

    async def _session(self, rest: SsiRestClient, http: httpx.AsyncClient) -> bool:
        """One connection: True if it got as far as CONNECTED (then was lost)."""
        self.attempts += 1
        stream: SignalRStream | None = None
        refresher: asyncio.Task[None] | None = None
        try:
            token = await rest.authenticate()
            symbols = await rest.index_components("VN30")
            if symbols:
                self._sink.load_vn30(symbols)
            else:
                log.warning("SSI IndexComponents returned no VN30 symbols; keeping the previous list")
            stream = SignalRStream(self._settings.stream_url, token, self._settings.channels, http=http)
            await stream.open()
            securities = await self._securities(rest) if self._ever_connected else None
            self._ever_connected = True
            self._set_state(UpstreamState.CONNECTED)
            self._sink.upstream_connected(securities)
            log.info("SSI stream connected (%d VN30 symbols)", len(symbols))
            refresher = asyncio.create_task(self._keep_token_fresh(rest), name="tracker-token-refresh")
            loop = asyncio.get_running_loop()
            turn = loop.time()
            async for payload in stream.payloads():
                self._sink.ingest_payload(payload)
                if loop.time() - turn > YIELD_AFTER_S:
                    await asyncio.sleep(0)
                    turn = loop.time()
            log.warning("SSI stream closed: %s", stream.closed_because)
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure means: back off and try again
            log.warning("SSI stream: %s: %s", type(exc).__name__, exc)
            return self.state is UpstreamState.CONNECTED
        finally:
            if refresher is not None:
                refresher.cancel()
                await asyncio.gather(refresher, return_exceptions=True)
            if stream is not None:
                await stream.close()

    async def _keep_token_fresh(self, rest: SsiRestClient) -> None:
        """Replace the access token whenever less than an hour is left by the tracker's clock."""
        while True:
            await asyncio.sleep(self._token_check_s)
            if rest.token_fresh():
                continue
            try:
                await rest.authenticate()
            except Exception as exc:  # noqa: BLE001 - the stream goes on; try again later
                log.warning("SSI access token refresh failed: %s: %s", type(exc).__name__, exc)
                await asyncio.sleep(TOKEN_RETRY_S)
                continue
            log.info("SSI access token refreshed; it expires at %s", rest.token_expires_at)
            if not rest.token_fresh():
                log.warning("SSI issued a token with less than an hour left by the tracker's clock (%s): are the "
                            "clocks apart? next try in %.0f s", self._token_clock().isoformat(), TOKEN_RETRY_S)
                await asyncio.sleep(TOKEN_RETRY_S)

    async def _securities(self, rest: SsiRestClient) -> list[dict[str, Any]] | None:
        try:
            return await rest.securities("HOSE")
        except Exception as exc:  # noqa: BLE001 - a reconnect without re-seed beats no reconnect
            log.warning("SSI Securities failed, foreign baselines not re-seeded: %s", exc)
            return None

    def _clock(self) -> float:
        """Seconds on the tracker's clock; without one, every attempt is taken as instant."""
        return self._now() if self._now is not None else 0.0

    def _set_state(self, state: UpstreamState) -> None:
        if state is not self.state:
            self.state = state
            if self._on_state is not None:
                self._on_state(state)
