"""The tracker service: wires processor, upstream consumer, publisher, clients and metrics together."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar

from tracker import loop_lag
from tracker.clock_sleep import ClockSleep
from tracker.connections import ConnectionHub, status_message
from tracker.core.clock import Clock
from tracker.core.processor import (
    Channel,
    MalformedMessage,
    MarketProcessor,
    ProcessResult,
)
from tracker.metrics import Metrics
from tracker.publisher import Publisher
from tracker.settings import Settings
from tracker.stream import UpstreamConsumer, UpstreamState

log = logging.getLogger(__name__)

T = TypeVar("T")
_CHANNEL_NAMES = {Channel.MARKET: "market", Channel.FOREIGN: "foreign", Channel.INDEX: "index"}
RESET_CHECK_INTERVAL_S = 1.0


class TrackerService:
    """`app.state.service`: the message-level entry points and the running parts of one tracker."""

    def __init__(self, settings: Settings, clock: Clock, *, processor: MarketProcessor | None = None,
                 consumer_factory: Callable[[TrackerService], UpstreamConsumer] | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.processor = processor or MarketProcessor(clock, vn30=[], extra_symbols=list(settings.extra_symbols),
                                                      futures_override=settings.futures_override)
        self.vn30: list[str] = []
        self.metrics = Metrics()
        self.hub = ConnectionHub(settings, self.metrics, lambda: self.upstream_state is UpstreamState.CONNECTED)
        self.publisher = Publisher(self.hub, settings.throttle_interval_s, {
            "market": self.processor.snapshot,
            "foreign": self.processor.foreign_summary,
            "index": self.processor.indices,
        })
        self.consumer = (consumer_factory or _default_consumer)(self)
        self._rejected_seen: set[str] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None

    @property
    def upstream_state(self) -> UpstreamState:
        return self.consumer.state

    # -- message level: the same path as stream frames -------------------------------------
    def ingest_payload(self, payload: str) -> ProcessResult | None:
        """Process one hub Broadcast argument; returns None when it was malformed (and counted)."""
        return self._on_loop(lambda: self._ingest(self.processor.process_payload, payload))

    def ingest_content(self, content: Mapping[str, Any]) -> ProcessResult | None:
        """Process one decoded Content dict (with RType), exactly as if it came from the stream."""
        return self._on_loop(lambda: self._ingest(self.processor.process_content, content))

    def check_daily_reset(self) -> bool:
        """Run the 15:05 reset check now; publish the cleared state if it reset."""
        def check() -> bool:
            reset = self.processor.check_daily_reset()
            if reset:
                log.info("daily reset at %s", self.clock.now().isoformat())
                self.publisher.notify_all()
            return reset
        return self._on_loop(check)

    def _ingest(self, process: Callable[[Any], ProcessResult], message: Any) -> ProcessResult | None:
        self.metrics.frames_received.inc()
        try:
            result = process(message)
        except MalformedMessage as exc:
            self._rejected(str(getattr(exc, "reason", "") or "malformed"), exc)
            return None
        except Exception:
            log.exception("processing failed for %.200r", message)
            self._rejected("internal_error", None)
            return None
        for channel in result.changed:
            self.publisher.notify(_CHANNEL_NAMES.get(channel, str(getattr(channel, "value", channel))))
        for alert in result.alerts:
            self.publisher.publish_alert(alert)
        return result

    def _rejected(self, reason: str, exc: Exception | None) -> None:
        self.metrics.frames_rejected.labels(reason=reason).inc()
        if reason not in self._rejected_seen:
            self._rejected_seen.add(reason)
            log.warning("malformed upstream message dropped (%s): %s; further ones only counted", reason, exc)

    def _on_loop(self, call: Callable[[], T]) -> T:
        """Run `call` on the service's event loop; a caller from another thread waits for it."""
        loop = self._loop
        if loop is None or self._loop_thread == threading.get_ident() or loop.is_closed():
            return call()
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(call())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                future.set_exception(exc)
        loop.call_soon_threadsafe(run)
        return future.result(timeout=10.0)

    # -- upstream sink ----------------------------------------------------------------------
    def load_vn30(self, symbols: list[str]) -> None:
        self.vn30 = list(symbols)
        self.processor.set_vn30(self.vn30)

    def upstream_connected(self, securities: list[dict[str, Any]] | None) -> None:
        if securities is not None:
            self.processor.reseed_foreign(securities)
        self.metrics.upstream_connected.set(1)
        self.hub.broadcast_all(status_message(True))

    def upstream_lost(self) -> None:
        self.metrics.upstream_connected.set(0)
        self.hub.broadcast_all(status_message(False))

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._tasks = [
            asyncio.create_task(self.consumer.run(), name="tracker-upstream"),
            asyncio.create_task(self._reset_timer(), name="tracker-daily-reset"),
            asyncio.create_task(loop_lag.watch(self.metrics.loop_lag.observe), name="tracker-loop-lag"),
        ]

    async def close_clients(self) -> None:
        """Close every WebSocket client with 1001 (before the server drops connections itself)."""
        await self.hub.close_all()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self.publisher.close()
        await self.hub.close_all()
        self._loop = None
        self._loop_thread = None

    async def _reset_timer(self) -> None:
        while True:
            await asyncio.sleep(RESET_CHECK_INTERVAL_S)
            try:
                self.check_daily_reset()
            except Exception:
                log.exception("daily reset check failed")


def _default_consumer(service: TrackerService) -> UpstreamConsumer:
    """The SSI consumer, its reconnect backoff on the tracker's clock ([test-clock], [outage-backoff]); its token
    ages on that clock too ([soak])."""
    clock = service.clock
    return UpstreamConsumer(service.settings, service, sleep=ClockSleep(clock), now=lambda: clock.now().timestamp(),
                            clock=clock.now)
