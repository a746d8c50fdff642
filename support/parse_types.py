"""The placeholder types of step patterns, one vocabulary for both runners (`{volume:Int}`, `{price:Number}`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from support.tracker_api import RESOURCES

F = TypeVar("F", bound=Callable[[str], Any])


def with_pattern(regex: str) -> Callable[[F], F]:
    """parse's own `with_pattern`, typed: the converter matches `regex` (no capturing groups)."""
    def mark(converter: F) -> F:
        converter.pattern = regex  # type: ignore[attr-defined]
        converter.regex_group_count = 0  # type: ignore[attr-defined]
        return converter
    return mark


_INT = r"\d{1,3}(?:,\d{3})+|\d+"
_NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"

SCREENS = ("dashboard", "slow dashboard", "foreign-flow screen", "index screen", "alert screen")
_SCREEN = "|".join(re.escape(name) for name in SCREENS)


@with_pattern(_INT)
def parse_int(text: str) -> int:
    """1,000 or 1000."""
    return int(text.replace(",", ""))


@with_pattern(_NUMBER)
def parse_number(text: str) -> float:
    """80.5, -12.5 or 1,200,000,000."""
    return float(text.replace(",", ""))


@with_pattern(rf"(?:{_NUMBER})(?: then (?:{_NUMBER}))*")
def parse_numbers(text: str) -> list[float]:
    """5.0 then -5.0 then 2.5."""
    return [parse_number(part) for part in text.split(" then ")]


@with_pattern(r"\d+(?:, \d+)* and \d+")
def parse_delays(text: str) -> list[float]:
    """2, 4, 8 and 16 (seconds, in order)."""
    head, last = text.rsplit(" and ", 1)
    return [float(part) for part in head.split(", ")] + [float(last)]


@with_pattern(r"[A-Z][A-Z0-9]*")
def parse_symbol(text: str) -> str:
    """A ticker, index id or futures contract: VNM, VN30, VN30F2412."""
    return text


@with_pattern(rf"(?:an?) (?:{_SCREEN})")
def parse_persona(text: str) -> str:
    """'a dashboard', 'an index screen' -> the screen's name without the article."""
    return text.split(" ", 1)[1]


@with_pattern(_SCREEN)
def parse_screen(text: str) -> str:
    """'dashboard', 'foreign-flow screen' (after 'the', 'another' ...)."""
    return text


@with_pattern(r"up|down")
def parse_direction(text: str) -> int:
    return 1 if text == "up" else -1


@with_pattern(r"[A-Z]+")
def parse_session(text: str) -> str:
    """A trading session code: ATO, LO, ATC, PT, BREAK."""
    return text


@with_pattern(r"premium|discount|basis")
def parse_basis_kind(text: str) -> bool:
    """True for a premium (futures above the index); a discount or a plain basis (zero) is no premium ([basis])."""
    return text == "premium"


@with_pattern(r"in quick succession|one after another")
def parse_pace(text: str) -> bool:
    """True for a burst (all at once), False for one message at a time."""
    return text == "in quick succession"


@with_pattern(r"[a-z_]+")
def parse_word(text: str) -> str:
    """A lower-case name: a query parameter, an alert type."""
    return text


@with_pattern(r"\d{1,2}:\d{2}(?::\d{2})?")
def parse_time_of_day(text: str) -> tuple[int, int, int]:
    """15:04 or 15:04:30 -> (15, 4, 30)."""
    parts = [int(part) for part in text.split(":")]
    return parts[0], parts[1], parts[2] if len(parts) == 3 else 0


ALERT_KINDS: dict[str, str] = {
    "volume spike": "volume_spike", "price breakout": "price_breakout",
    "foreign acceleration": "foreign_acceleration", "basis divergence": "basis_divergence",
}


@with_pattern("|".join(re.escape(kind) for kind in ALERT_KINDS))
def parse_alert_kind(text: str) -> str:
    """'volume spike' -> 'volume_spike': the alert type as the tracker names it."""
    return ALERT_KINDS[text]


@with_pattern(r"[A-Z][A-Z0-9]*(?:, [A-Z][A-Z0-9]*)*")
def parse_symbols(text: str) -> list[str]:
    """'ACB, BID, CTG' -> ['ACB', 'BID', 'CTG']."""
    return text.split(", ")


@with_pattern(r"kept|discarded")
def parse_fate(text: str) -> bool:
    """True when something is kept, False when it is discarded."""
    return text == "kept"


BOARDS = ("session volume", "price board", "foreign flow", "index board", "derivatives board", "alert history")


@with_pattern("|".join(re.escape(name) for name in BOARDS))
def parse_board(text: str) -> str:
    """What a screen or API caller reads: 'price board', 'alert history' (one of BOARDS)."""
    return text


@with_pattern(r"[A-Z][A-Z0-9_]*")
def parse_env_name(text: str) -> str:
    """An environment variable's name: WS_AUTH_TOKEN, EXTRA_SYMBOLS."""
    return text


@with_pattern(r"nested|flat")
def parse_basket_form(text: str) -> str:
    """The form of the exchange's VN30 list ([sim-components]): 'nested' (SSI's documented one) or 'flat'."""
    return text


@with_pattern(r"buying|selling")
def parse_flow_side(text: str) -> str:
    """'buying' -> 'buy', 'selling' -> 'sell': the side of foreign flow, as the tracker's fields name it."""
    return "buy" if text == "buying" else "sell"


@with_pattern(r"bought|sold")
def parse_traded(text: str) -> str:
    """'bought' -> 'buy', 'sold' -> 'sell'."""
    return "buy" if text == "bought" else "sell"


@with_pattern(r"slowed|sped up")
def parse_speed_trend(text: str) -> int:
    """The sign of an acceleration: -1 for 'slowed', 1 for 'sped up'."""
    return -1 if text == "slowed" else 1


@with_pattern(r"bought actively|sold actively")
def parse_active_side(text: str) -> str:
    """'bought actively' -> 'mua_chu_dong', 'sold actively' -> 'ban_chu_dong': the class as the tracker names it."""
    return "mua_chu_dong" if text == "bought actively" else "ban_chu_dong"


@with_pattern(r"(?:, named without the F prefix)?")
def parse_naming(text: str) -> bool:
    """True when foreign figures come under their other names (BuyVol ... instead of FBuyVol ...)."""
    return bool(text)


@with_pattern("|".join(re.escape(name) for name in sorted(RESOURCES, key=len, reverse=True)))
def parse_resource(text: str) -> str:
    """What an API caller asks for, by its name in support.tracker_api.RESOURCES ('the market snapshot')."""
    return text


TYPES: dict[str, Callable[[str], Any]] = {
    "Int": parse_int,
    "Number": parse_number,
    "Numbers": parse_numbers,
    "Delays": parse_delays,
    "Symbol": parse_symbol,
    "Persona": parse_persona,
    "Screen": parse_screen,
    "Direction": parse_direction,
    "Session": parse_session,
    "BasisKind": parse_basis_kind,
    "Pace": parse_pace,
    "Word": parse_word,
    "TimeOfDay": parse_time_of_day,
    "AlertKind": parse_alert_kind,
    "Symbols": parse_symbols,
    "Fate": parse_fate,
    "Board": parse_board,
    "BasketForm": parse_basket_form,
    "EnvName": parse_env_name,
    "FlowSide": parse_flow_side,
    "Traded": parse_traded,
    "SpeedTrend": parse_speed_trend,
    "ActiveSide": parse_active_side,
    "Naming": parse_naming,
    "Resource": parse_resource,
}
