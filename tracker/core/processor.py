"""MarketProcessor: routes each upstream message through the state modules and alert rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from tracker.core import alert_drafts as drafts
from tracker.core import alerts as rules
from tracker.core.alerts import AlertBook, ForeignAccelerationRule, VolumeSpikeRule
from tracker.core.clock import Clock
from tracker.core.derivatives import SPOT_INDEX, Derivatives
from tracker.core.foreign import ForeignFlow, summarize
from tracker.core.indices import Indices
from tracker.core.messages import (
    Bar,
    ForeignRoom,
    IndexUpdate,
    MalformedMessage,
    Message,
    Tick,
    decode_payload,
    parse_content,
)
from tracker.core.prices import Prices
from tracker.core.quotes import QuoteBook
from tracker.core.reset import DailyReset
from tracker.core.results import ALL_CHANNELS, Channel, ProcessResult
from tracker.core.session_stats import SessionStats, classify
from tracker.core.watchlist import Watchlist, is_futures

__all__ = ["Channel", "MalformedMessage", "MarketProcessor", "ProcessResult"]


class MarketProcessor:
    """All market state of the tracker; not thread-safe (one event loop owns it)."""

    def __init__(
        self,
        clock: Clock,
        vn30: Iterable[str] = (),
        extra_symbols: Iterable[str] = (),
        futures_override: str = "",
    ) -> None:
        self._clock = clock
        self._watch = Watchlist(vn30, extra_symbols)
        self._quotes = QuoteBook()
        self._stats = SessionStats()
        self._prices = Prices()
        self._foreign = ForeignFlow()
        self._indices = Indices()
        self._derivs = Derivatives(futures_override)
        self._alerts = AlertBook()
        self._spikes = VolumeSpikeRule()
        self._foreign_acc = ForeignAccelerationRule()
        self._reset = DailyReset(clock.now())
        self.received = 0
        self.ignored = 0
        self.resets = 0
        self.rejected: Counter[str] = Counter()
        self._reset_unreported = (
            False  # a reset done by a message that was then rejected
        )

    # -- configuration ------------------------------------------------------------------
    @property
    def vn30(self) -> list[str]:
        return self._watch.vn30

    def set_vn30(self, symbols: Iterable[str]) -> None:
        self._watch.set_vn30(symbols)

    def tracks(self, symbol: str) -> bool:
        return self._watch.tracks(symbol)

    # -- input --------------------------------------------------------------------------
    def process_payload(self, payload: str | bytes) -> ProcessResult:
        """Process one hub Broadcast argument; raises MalformedMessage (counted) for bad input."""
        return self._process(payload, True)

    def process_content(self, content: Mapping[str, Any]) -> ProcessResult:
        """Process one decoded Content dict (with RType); raises MalformedMessage (counted)."""
        return self._process(content, False)

    def _process(self, raw: Any, encoded: bool) -> ProcessResult:
        self.received += 1
        now = self._clock.now()
        ts = now.timestamp()
        reset = self._check_reset(now, ts)
        try:
            content = decode_payload(raw) if encoded else raw
            msg = parse_content(content, self._watch.tracks)
        except MalformedMessage as exc:
            self.rejected[exc.reason] += 1
            self._reset_unreported = self._reset_unreported or reset
            raise
        return self._apply(msg, now, ts, reset)

    def reseed_foreign(self, securities_rows: Iterable[Mapping[str, Any]]) -> int:
        """Foreign delta baselines from Securities rows after a reconnect; returns rows used."""
        return self._foreign.reseed(securities_rows, self._watch.tracks)

    def check_daily_reset(self) -> bool:
        """True when a 15:05 boundary was crossed since the last check (state cleared now),
        or when a rejected message did the reset and nobody was told yet."""
        now = self._clock.now()
        reset = self._check_reset(now, now.timestamp()) or self._reset_unreported
        self._reset_unreported = False
        return reset

    def reset(self) -> None:
        """Clear the day's state now (quotes are kept)."""
        self._stats.clear()
        self._prices.clear()
        self._foreign.clear()
        self._indices.clear()
        self._derivs.clear()
        self._alerts.clear()
        self._spikes.clear()
        self._foreign_acc.clear()
        self.resets += 1

    def _check_reset(self, now: datetime, ts: float) -> bool:
        if self._reset.check(now, ts):
            self.reset()
            return True
        return False

    def _apply(
        self, msg: Message | None, now: datetime, ts: float, reset: bool
    ) -> ProcessResult:
        result = ProcessResult(set(ALL_CHANNELS) if reset else set())
        if msg is None:
            self.ignored += 1
        elif type(msg) is Tick:
            self._on_tick(msg, now, ts, result)
        elif type(msg) is ForeignRoom:
            self._on_foreign(msg, now, ts, result)
        elif type(msg) is IndexUpdate:
            self._on_index(msg, now, ts, result)
        else:
            assert type(msg) is Bar  # bars feed no view
        return result

    def _on_tick(
        self, t: Tick, now: datetime, ts: float, result: ProcessResult
    ) -> None:
        symbol = t.symbol
        quote, quote_changed = self._quotes.update(t)
        futures = is_futures(symbol)
        price = t.price
        if t.volume > 0 and price is not None:
            volume = t.volume
            if futures:
                active = self._derivs.on_trade(
                    symbol,
                    price,
                    volume,
                    t.total_vol,
                    quote,
                    t.change,
                    t.ratio_change,
                    now,
                )
                if active:
                    self._basis_point(now, ts, result)
            else:
                side = classify(t.session, price, quote.bid1, quote.ask1)
                self._stats.record(
                    symbol, side, t.session, volume, round(price * volume * 1000), now
                )
                self._prices.on_trade(symbol, price, quote, t.change, t.ratio_change)
            result.changed.add(Channel.MARKET)
            spike = self._spikes.check(symbol, volume, ts)
            if spike is not None:
                draft = drafts.volume_spike(symbol, volume, spike[0], spike[1], price)
                self._alert(result, draft, now, ts)
            direction = rules.breakout(price, quote.ceiling, quote.floor)
            if direction is not None:
                draft = drafts.price_breakout(
                    symbol, price, direction, quote.ceiling, quote.floor
                )
                self._alert(result, draft, now, ts)
        elif quote_changed and (
            symbol in self._prices or self._derivs.active_symbol == symbol
        ):
            result.changed.add(Channel.MARKET)

    def _on_foreign(
        self, msg: ForeignRoom, now: datetime, ts: float, result: ProcessResult
    ) -> None:
        net = self._foreign.update(msg, now, ts)
        result.changed.add(Channel.FOREIGN)
        result.changed.add(Channel.MARKET)  # the snapshot embeds the foreign summary
        hit = self._foreign_acc.check(msg.symbol, net, ts)
        if hit is not None:
            ref, ref_ts, change = hit
            ref_time = datetime.fromtimestamp(ref_ts, now.tzinfo).isoformat()
            draft = drafts.foreign_acceleration(msg.symbol, net, ref, ref_time, change)
            self._alert(result, draft, now, ts)

    def _on_index(
        self, msg: IndexUpdate, now: datetime, ts: float, result: ProcessResult
    ) -> None:
        self._indices.update(msg, now)
        result.changed.add(Channel.INDEX)
        result.changed.add(Channel.MARKET)  # the snapshot embeds indices and the basis
        if msg.index_id == SPOT_INDEX and self._derivs:
            self._basis_point(now, ts, result)

    def _basis_point(self, now: datetime, ts: float, result: ProcessResult) -> None:
        prev = self._derivs.add_basis_point(self._indices.value(SPOT_INDEX), now, ts)
        if prev is None:
            return
        point = self._derivs.latest_point()
        assert point is not None
        if rules.sign_flip(prev["basis"], point["basis"]):
            self._alert(result, drafts.basis_divergence(prev, point), now, ts)

    def _alert(
        self, result: ProcessResult, draft: drafts.Draft, now: datetime, ts: float
    ) -> None:
        alert = self._alerts.register(*draft, now, ts)
        if alert is not None:
            result.alerts.append(alert)

    # -- views (JSON-ready, the [shapes] of docs/CONTRACT.md) --------------------------
    def _ts(self) -> float:
        return self._clock.now().timestamp()

    def snapshot(self) -> dict[str, Any]:
        ts = self._ts()
        return {
            "quotes": self._stats.by_symbol(),
            "prices": self._prices.by_symbol(self._quotes),
            "indices": self._indices.by_id(),
            "foreign": self._foreign.summary(ts) if self._foreign else None,
            "derivatives": self._derivs.view(
                self._quotes, self._indices.value(SPOT_INDEX)
            ),
        }

    def foreign_summary(self) -> dict[str, Any]:
        return self._foreign.summary(self._ts())

    def foreign_detail(self) -> dict[str, Any]:
        stocks = self._foreign.stocks(self._ts())
        return {"summary": summarize(stocks), "stocks": stocks}

    def indices(self) -> dict[str, Any]:
        return self._indices.by_id()

    def volume_stats(self) -> dict[str, Any]:
        return {"stats": self._stats.ranked()}

    def basis_trend(self, minutes: float = 30) -> list[dict[str, Any]]:
        return self._derivs.trend(minutes, self._ts())

    def alerts(
        self,
        limit: int = 50,
        alert_type: str | None = None,
        severity: str | None = None,
    ) -> list[dict[str, Any]]:
        return self._alerts.list(limit, alert_type, severity)
