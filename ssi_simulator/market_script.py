"""A deterministic, realistic VN30 trading day as content dicts, for replay in scenarios and load."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from . import frames
from .messages import Content
from .replayer import ReplayStats, ReplayStepper, replay, replay_sync
from .vn30 import DEFAULT_VN30

__all__ = ["ReplayStats", "ReplayStepper", "build_session", "futures_symbol", "replay", "replay_sync"]

_OPEN, _ATO_END, _LUNCH, _AFTERNOON, _ATC, _CLOSE = 9 * 3600, 9 * 3600 + 900, 41400, 46800, 52200, 53100


def futures_symbol(day: date) -> str:
    """The front-month VN30 futures ticker for ``day`` (``VN30F2412`` in December 2024)."""
    return f"VN30F{day:%y%m}"


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _snap(price: float, symbol: str) -> float:
    step = frames.tick_size(price, symbol)
    return round(round(price / step) * step, 2)


@dataclass
class _Book:
    symbol: str
    ref: float
    ceiling: float
    floor: float
    mid: float
    last: float = 0.0
    high: float = 0.0
    low: float = math.inf
    open: float = 0.0
    total_vol: int = 0
    total_val: float = 0.0
    trades: int = 0
    last_vol: int = 0
    foreign: list[float] = field(default_factory=lambda: [0, 0, 0.0, 0.0])  # buy vol, sell vol, values
    room: int = 0
    bar: list[float] = field(default_factory=list)  # minute, open, high, low, close, volume

    def tick(self) -> float:
        return frames.tick_size(self.mid, self.symbol)


class _Session:
    def __init__(self, rng: random.Random, symbols: Sequence[str], day: date, fut: str, bars: bool) -> None:
        self.rng, self.day, self.fut, self.bars = rng, f"{day:%d/%m/%Y}", fut, bars
        self.out: list[Content] = []
        self.books = {s: self._new_book(s, _snap(rng.uniform(15, 130), s)) for s in symbols}
        self.vn30_prior, self.vni_prior = round(rng.uniform(1250, 1350), 2), round(rng.uniform(1200, 1300), 2)
        self.vn30, self.vni, self.qtty = self.vn30_prior, self.vni_prior, 0
        self.basis = round(rng.uniform(-8, 8), 1)
        self.books[fut] = self._new_book(fut, _snap(self.vn30_prior + self.basis, fut))

    def _new_book(self, symbol: str, ref: float) -> _Book:
        ceiling, floor = frames.price_band(ref, symbol)
        book = _Book(symbol, ref, ceiling, floor, mid=ref)
        book.room = self.rng.randrange(50, 500) * 1_000_000
        return book

    def quote(self, book: _Book, at: int, session: str) -> tuple[float, float]:
        t, rng = book.tick(), self.rng
        bid = max(book.floor, min(book.ceiling - t, _snap(book.mid - t * rng.choice((0, 0, 1)), book.symbol)))
        ask = min(book.ceiling, _snap(bid + t * rng.choice((1, 1, 1, 2)), book.symbol))
        vols = {f"{side}Vol{n}": rng.randrange(1, 200) * 100 for side in ("Bid", "Ask") for n in (1, 2, 3)}
        self.out.append(frames.quote(
            book.symbol, bid1=bid, ask1=ask, ref=book.ref, ceiling=book.ceiling, floor=book.floor,
            session=session, time=_clock(at), trading_date=self.day,
            BidPrice2=_snap(max(book.floor, bid - t), book.symbol), BidPrice3=_snap(max(book.floor, bid - 2 * t), book.symbol),
            AskPrice2=_snap(min(book.ceiling, ask + t), book.symbol), AskPrice3=_snap(min(book.ceiling, ask + 2 * t), book.symbol),
            **vols,
        ))
        return bid, ask

    def trade(self, book: _Book, at: int, session: str, price: float, volume: int) -> None:
        book.last, book.last_vol, book.trades = price, volume, book.trades + 1
        book.open = book.open or price
        book.high, book.low = max(book.high, price), min(book.low, price)
        book.total_vol += volume
        book.total_val += price * volume * 1000
        self.out.append(frames.trade(
            book.symbol, price, volume, session=session, ref=book.ref, time=_clock(at), trading_date=self.day,
            TotalVol=book.total_vol, TotalVal=round(book.total_val, 2), Open=book.open, High=book.high,
            Low=book.low,
        ))
        if book.symbol != self.fut:
            self.qtty += volume
            self._bar(book, at, price, volume)

    def _bar(self, book: _Book, at: int, price: float, volume: int) -> None:
        if not self.bars:
            return
        minute = at // 60 * 60
        if book.bar and book.bar[0] != minute:
            self.flush_bar(book)
        if not book.bar:
            book.bar = [minute, price, price, price, price, 0]
        book.bar[2], book.bar[3] = max(book.bar[2], price), min(book.bar[3], price)
        book.bar[4], book.bar[5] = price, book.bar[5] + volume

    def flush_bar(self, book: _Book) -> None:
        if book.bar:
            minute, o, h, low, c, v = book.bar
            self.out.append(frames.bar(book.symbol, open=o, high=h, low=low, close=c, volume=int(v),
                                       time=_clock(int(minute)), trading_date=self.day))
            book.bar = []

    def foreign(self, book: _Book, at: int) -> None:
        f, rng, volume = book.foreign, self.rng, book.last_vol
        buy, sell = int(volume * rng.uniform(0, 0.6)) // 10 * 10, int(volume * rng.uniform(0, 0.6)) // 10 * 10
        f[0], f[1] = f[0] + buy, f[1] + sell
        f[2], f[3] = f[2] + buy * book.last * 1000, f[3] + sell * book.last * 1000
        book.room = max(0, book.room - buy + sell)
        self.out.append(frames.foreign(
            book.symbol, buy_vol=int(f[0]), sell_vol=int(f[1]), buy_val=round(f[2], 2), sell_val=round(f[3], 2),
            total_room=book.room + int(f[0]), current_room=book.room, time=_clock(at), trading_date=self.day,
        ))

    def indices(self, at: int, session: str) -> None:
        stocks = [b for s, b in self.books.items() if s != self.fut]
        moves = [(b.last or b.ref) / b.ref - 1 for b in stocks]
        up, down = sum(m > 0 for m in moves), sum(m < 0 for m in moves)
        self.vn30 = round(self.vn30_prior * (1 + sum(moves) / len(moves)), 2)
        self.vni = round(self.vni_prior * (1 + 0.8 * sum(moves) / len(moves) + self.rng.uniform(-4e-4, 4e-4)), 2)
        for name, value, prior, scale in (("VN30", self.vn30, self.vn30_prior, 1), ("VNINDEX", self.vni, self.vni_prior, 13)):
            self.out.append(frames.index(
                name, value, prior=prior, advances=up * scale, declines=down * scale,
                no_changes=(len(moves) - up - down) * scale, total_qtty=self.qtty * scale,
                time=_clock(at), trading_date=self.day, TradingSession=session,
            ))

    def futures(self, at: int, session: str) -> None:
        book = self.books[self.fut]
        self.basis = max(-15.0, min(15.0, round(self.basis + self.rng.uniform(-1.5, 1.5), 1)))
        book.mid = max(book.floor, min(book.ceiling, _snap(self.vn30 + self.basis, self.fut)))
        bid, ask = self.quote(book, at, session)
        self.trade(book, at, session, self.rng.choice((bid, ask)), self.rng.randrange(1, 50))

    def step(self, book: _Book, at: int) -> None:
        rng, t = self.rng, book.tick()
        drift = t * rng.choice((-2, -1, -1, 0, 0, 1, 1, 2)) + (book.ref - book.mid) * 0.02
        book.mid = max(book.floor, min(book.ceiling, _snap(book.mid + drift, book.symbol)))
        bid, ask = self.quote(book, at, "LO")
        roll = rng.random()
        spread_ticks = round((ask - bid) / t)
        if roll < 0.1 and spread_ticks >= 2:
            price = _snap(bid + t, book.symbol)
        else:
            price = ask if roll < 0.55 else bid
        volume = max(1, int(rng.lognormvariate(2.0, 1.0))) * 100 * (10 if rng.random() < 0.02 else 1)
        self.trade(book, at, "LO", price, volume)


def build_session(
    seed: int, symbols: Sequence[str] = DEFAULT_VN30, trades_per_symbol: int = 20, *,
    trading_date: date = date(2024, 12, 2), futures: str | None = None, foreign_every: int = 4,
    index_every: int = 10, futures_every: int = 6, bars: bool = True,
) -> list[Content]:
    """Content dicts of one VN30 session, in time order: ATO, continuous (LO), ATC, with foreign
    flow (R), VN30/VNINDEX ticks (MI), one-minute bars (B) and a VN30F contract; same seed, same list."""
    rng = random.Random(seed)
    s = _Session(rng, list(symbols), trading_date, futures or futures_symbol(trading_date), bars)
    stocks = [s.books[sym] for sym in symbols]
    pre_open = [*stocks, s.books[s.fut]]
    for book, at in zip(pre_open, sorted(rng.randrange(_OPEN, _ATO_END - 60) for _ in pre_open), strict=True):
        book.mid = _snap(book.ref * (1 + rng.uniform(-0.015, 0.015)), book.symbol)
        s.quote(book, at, "ATO")
    for book in stocks:
        s.trade(book, _ATO_END, "ATO", book.mid, rng.randrange(10, 500) * 100)
    s.futures(_ATO_END, "ATO")
    s.indices(_ATO_END, "ATO")
    order = [b for b in stocks for _ in range(trades_per_symbol)]
    rng.shuffle(order)
    span = (_LUNCH - _ATO_END - 1) + (_ATC - _AFTERNOON)
    times = sorted(rng.randrange(span) for _ in order)
    for n, (book, offset) in enumerate(zip(order, times, strict=True), start=1):
        at = _ATO_END + 1 + offset if offset < _LUNCH - _ATO_END - 1 else _AFTERNOON + offset - (_LUNCH - _ATO_END - 1)
        s.step(book, at)
        if book.trades % foreign_every == 0:
            s.foreign(book, at)
        if n % futures_every == 0:
            s.futures(at, "LO")
        if n % index_every == 0:
            s.indices(at, "LO")
    for book in stocks:
        s.flush_bar(book)
    for book, at in zip(stocks, sorted(rng.randrange(_ATC, _CLOSE - 60) for _ in stocks), strict=True):
        book.mid = max(book.floor, min(book.ceiling, _snap(book.mid * (1 + rng.uniform(-0.005, 0.005)), book.symbol)))
        s.quote(book, at, "ATC")
    for book in stocks:
        s.trade(book, _CLOSE, "ATC", book.mid, rng.randrange(10, 800) * 100)
        s.flush_bar(book)
    s.futures(_CLOSE, "ATC")
    s.indices(_CLOSE, "C")
    return s.out
