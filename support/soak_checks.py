"""What a whole trading day's readings come to ([soak]): shares miscounted, tokens that outlived their
renewal, heartbeat gaps, memory growth. Pure functions of what the suite read from outside, so each
can be tested on its own (tests/support/test_soak_checks.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from support.trading_day import phase_of

PHASES = ("ato", "continuous", "atc")
CLASSES = ("mua_chu_dong_volume", "ban_chu_dong_volume", "neutral_volume")
FUTURES_PREFIX = "VN30F"


@dataclass
class Ledger:
    """Every share the exchange reported in the current trading day, by symbol and phase ([conservation])."""

    shares: dict[str, Counter[str]] = field(default_factory=dict)

    def record(self, contents: Iterable[Mapping[str, Any]]) -> None:
        for content in contents:
            if content.get("RType") in ("Trade", "X"):
                symbol = str(content.get("Symbol"))
                self.shares.setdefault(symbol, Counter())[phase_of(content)] += int(content.get("LastVol", 0))

    def new_day(self) -> None:
        self.shares.clear()


def miscounted(ledger: Ledger, stats: Sequence[Mapping[str, Any]], derivatives: Mapping[str, Any] | None,
               ) -> tuple[int, list[str]]:
    """Shares not counted exactly once: for each symbol, the total and each phase against the ledger, and
    buy + sell + neutral and ato + continuous + atc against the total; the futures contract on the
    derivatives board. Returns the shares off (summed) and one line per discrepancy."""
    by_symbol = {str(entry.get("symbol")): entry for entry in stats}
    off, lines = 0, []
    for symbol, phases in sorted(ledger.shares.items()):
        expected = sum(phases.values())
        entry = by_symbol.get(symbol)
        if entry is None and symbol.startswith(FUTURES_PREFIX) and derivatives is not None \
                and derivatives.get("symbol") == symbol:
            seen = int(derivatives.get("volume") or 0)
            if seen != expected:
                off += abs(seen - expected)
                lines.append(f"{symbol}: the derivatives board shows {seen:,} contracts, the exchange reported {expected:,}")
            continue
        if entry is None:
            off += expected
            lines.append(f"{symbol}: not in the volume statistics; the exchange reported {expected:,} shares")
            continue
        off += _compare(symbol, "traded", _int(entry.get("total_volume")), expected, lines)
        for phase in PHASES:
            seen = _int((entry.get(phase) or {}).get("total_volume"))
            off += _compare(symbol, f"traded in {phase}", seen, phases.get(phase, 0), lines)
        total = _int(entry.get("total_volume"))
        off += _compare(symbol, "bought + sold + neutral", sum(_int(entry.get(c)) for c in CLASSES), total, lines)
    for symbol in sorted(set(by_symbol) - set(ledger.shares)):
        extra = _int(by_symbol[symbol].get("total_volume"))
        if extra:
            off += extra
            lines.append(f"{symbol}: shows {extra:,} shares the exchange did not report today")
    return off, lines


def _compare(symbol: str, what: str, seen: int, expected: int, lines: list[str]) -> int:
    if seen == expected:
        return 0
    lines.append(f"{symbol}: {what} {seen:,} shares, expected {expected:,}")
    return abs(seen - expected)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def expired_before_renewal(tokens: Sequence[Mapping[str, str]], day_start: dt.datetime, day_end: dt.datetime,
                           ) -> tuple[int, list[str]]:
    """Access tokens in force during the day that expired before the next one was issued (on the exchange's
    clock). A token already expired when the day began expired through the suite's setting of the clocks."""
    late = []
    for position, token in enumerate(tokens):
        expires = _moment(token["expires_at"])
        if expires <= day_start:
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        renewed = _moment(following["issued_at"]) if following else None
        if (renewed is None and expires <= day_end) or (renewed is not None and renewed >= expires):
            late.append(f"the token issued at {token['issued_at']} expired at {token['expires_at']}; "
                        + (f"the next was issued at {following['issued_at']}" if following else "none followed"))
    return len(late), late


def renewals(tokens: Sequence[Mapping[str, str]], day_start: dt.datetime) -> int:
    """Tokens issued during the day (each replaced the one before)."""
    return sum(1 for token in tokens if _moment(token["issued_at"]) >= day_start)


def longest_gap_s(opened_at: float, pings: Sequence[float], end: float) -> float:
    """The longest wait for a heartbeat: from the opening to the first ping, between pings, and since the last."""
    marks = [opened_at, *sorted(pings), end]
    return max(later - earlier for earlier, later in itertools.pairwise(marks))


def growth_mb(first_hour: Sequence[int], last_hour: Sequence[int]) -> float:
    """Median resident memory of the last hour minus that of the first, in MB."""
    if not first_hour or not last_hour:
        raise ValueError("memory was not read in the first or the last trading hour")
    return (statistics.median(last_hour) - statistics.median(first_hour)) / 1e6


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
