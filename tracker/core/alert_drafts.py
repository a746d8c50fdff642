"""Wording and data of each alert type, kept apart from the rules that decide to raise them."""

from __future__ import annotations

from typing import Any, NamedTuple

from tracker.core.alerts import (
    BASIS_DIVERGENCE,
    FOREIGN_ACCELERATION,
    PRICE_BREAKOUT,
    VOLUME_SPIKE,
)


class Draft(NamedTuple):
    """An alert before registration (no id or timestamp yet)."""

    alert_type: str
    severity: str
    symbol: str
    message: str
    data: dict[str, Any]


def volume_spike(
    symbol: str, volume: int, mean: float, trades: int, price: float
) -> Draft:
    ratio = volume / mean
    return Draft(
        VOLUME_SPIKE,
        "warning",
        symbol,
        f"{symbol} trade of {volume:,} is {ratio:.1f}x the 20-minute mean "
        f"of {mean:,.0f} ({trades} trades)",
        {"volume": volume, "mean_volume": mean, "ratio": ratio, "trades": trades,
         "price": price},
    )  # fmt: skip


def price_breakout(
    symbol: str, price: float, direction: str, ceiling: float, floor: float
) -> Draft:
    limit = ceiling if direction == "ceiling" else floor
    return Draft(
        PRICE_BREAKOUT,
        "critical",
        symbol,
        f"{symbol} traded at {price:g}, at its {direction} price {limit:g}",
        {"direction": direction, "price": price, "ceiling": ceiling, "floor": floor},
    )


def foreign_acceleration(
    symbol: str, net: float, reference: float, reference_time: str, change: float
) -> Draft:
    return Draft(
        FOREIGN_ACCELERATION,
        "warning",
        symbol,
        f"{symbol} net foreign value {net:,.0f} VND moved {change:.0%} "
        f"from {reference:,.0f} VND at least five minutes earlier",
        {"net_value": net, "reference_net_value": reference, "change_pct": change * 100,
         "reference_timestamp": reference_time},
    )  # fmt: skip


def basis_divergence(previous: dict[str, Any], point: dict[str, Any]) -> Draft:
    symbol = point["futures_symbol"]
    state = "premium" if point["is_premium"] else "discount"
    return Draft(
        BASIS_DIVERGENCE,
        "warning",
        symbol,
        f"{symbol} basis turned to a {state}: {previous['basis']:g} -> {point['basis']:g}",
        {"previous_basis": previous["basis"], "basis": point["basis"],
         "basis_pct": point["basis_pct"], "futures_price": point["futures_price"],
         "spot_value": point["spot_value"]},
    )  # fmt: skip
