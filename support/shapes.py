"""The shapes of docs/CONTRACT.md ([shapes]) as pydantic models, and the check that names the field a tracker got wrong.

    from support import shapes
    shapes.check("the market snapshot", body)      # AssertionError: "... quotes.VNM.total_volume: ..."
    shapes.check_message("market", payload)        # a WebSocket message of /ws/market (or a status message)

Every key the contract lists is required, extra keys are allowed, and the types are the contract's
units: a price, a value or a ratio is a JSON number, a volume a whole number (of shares or
contracts), a time an ISO-8601 string, a flag a JSON boolean. Nothing is coerced: "80.5" is not a
price. Where the contract says "or null" (the snapshot's foreign summary and derivatives), null is
allowed; the basis of the derivatives board is null while the VN30 value is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Strict,
    TypeAdapter,
    ValidationError,
    model_validator,
)


def _whole(value: float) -> float:
    if not float(value).is_integer():
        raise ValueError("a volume is a whole number of shares or contracts")
    return value


def _not_negative(value: float) -> float:
    if value < 0:
        raise ValueError("a volume of shares or contracts is never negative")
    return value


def _iso_time(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("a time is an ISO-8601 string") from None
    return value


Number = Annotated[float, Strict()]                              # JSON number, int or float (not bool, not text)
Net = Annotated[float, Strict(), AfterValidator(_whole)]         # a whole JSON number: 1000, -1000 or 1000.0
Count = Annotated[float, Strict(), AfterValidator(_whole), AfterValidator(_not_negative)]
Time = Annotated[str, Strict(), AfterValidator(_iso_time)]
Text = Annotated[str, Strict()]
Flag = Annotated[bool, Strict()]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class PhaseStats(_Shape):
    mua_chu_dong_volume: Count
    ban_chu_dong_volume: Count
    neutral_volume: Count
    total_volume: Count


class SessionStats(_Shape):
    symbol: Text
    mua_chu_dong_volume: Count
    mua_chu_dong_value: Number
    ban_chu_dong_volume: Count
    ban_chu_dong_value: Number
    neutral_volume: Count
    total_volume: Count
    last_updated: Time
    ato: PhaseStats
    continuous: PhaseStats
    atc: PhaseStats


class Price(_Shape):
    last_price: Number
    change: Number
    change_pct: Number
    ref_price: Number
    ceiling: Number
    floor: Number


class IntradayPoint(_Shape):
    timestamp: Time
    value: Number


class Index(_Shape):
    index_id: Text
    value: Number
    prior_value: Number
    change: Number
    ratio_change: Number
    total_volume: Count
    advances: Count
    declines: Count
    no_changes: Count
    intraday: list[IntradayPoint]
    last_updated: Time
    advance_ratio: Number


class Foreign(_Shape):
    symbol: Text
    buy_volume: Count
    sell_volume: Count
    net_volume: Net
    buy_value: Number
    sell_value: Number
    net_value: Number
    total_room: Count
    current_room: Count
    buy_speed_per_min: Number
    sell_speed_per_min: Number
    buy_acceleration: Number
    sell_acceleration: Number
    last_updated: Time


class ForeignSummary(_Shape):
    total_buy_value: Number
    total_sell_value: Number
    total_net_value: Number
    total_buy_volume: Count
    total_sell_volume: Count
    total_net_volume: Net
    top_buy: list[Foreign]
    top_sell: list[Foreign]


class Derivatives(_Shape):
    symbol: Text
    last_price: Number
    change: Number
    change_pct: Number
    volume: Count
    bid_price: Number
    ask_price: Number
    basis: Number | None
    basis_pct: Number | None
    is_premium: Flag
    last_updated: Time


class BasisPoint(_Shape):
    timestamp: Time
    futures_symbol: Text
    futures_price: Number
    spot_value: Number
    basis: Number
    basis_pct: Number
    is_premium: Flag


class Alert(_Shape):
    id: Annotated[int, Strict()] | Text
    alert_type: Literal["volume_spike", "price_breakout", "foreign_acceleration", "basis_divergence"]
    severity: Literal["info", "warning", "critical"]
    symbol: Text
    message: Text
    timestamp: Time
    data: dict[str, Any]


def _keys_name_entries(section: Mapping[str, Any], field: str, what: str) -> None:
    wrong = {key: getattr(entry, field) for key, entry in section.items() if getattr(entry, field) != key}
    if wrong:
        raise ValueError(f"{what} must be keyed by their {field}; these keys name other entries: {wrong}")


class MarketSnapshot(_Shape):
    """[rest-snapshot], and each message of /ws/market."""

    quotes: dict[str, SessionStats]
    prices: dict[str, Price]
    indices: dict[str, Index]
    foreign: ForeignSummary | None
    derivatives: Derivatives | None

    @model_validator(mode="after")
    def _keyed(self) -> MarketSnapshot:
        _keys_name_entries(self.quotes, "symbol", "quotes")
        _keys_name_entries(self.indices, "index_id", "indices")
        return self


class ForeignDetail(_Shape):
    """[rest-foreign-detail]."""

    summary: ForeignSummary
    stocks: list[Foreign]


class VolumeStats(_Shape):
    """[rest-volume-stats]."""

    stats: list[SessionStats]


class Components(_Shape):
    """[rest-components]."""

    symbols: list[Text]


class Health(_Shape):
    """[rest-health]: only the status is contract."""

    status: Literal["ok"]


class Status(_Shape):
    """[ws-status]: the upstream status, on every channel."""

    type: Literal["status"]
    connected: Flag


def _index_board(board: dict[str, Index]) -> dict[str, Index]:
    _keys_name_entries(board, "index_id", "indices")
    return board


IndexBoard = Annotated[dict[str, Index], AfterValidator(_index_board)]

# Each REST answer by its name in support.tracker_api.RESOURCES, and each channel's messages.
ANSWERS: dict[str, TypeAdapter[Any]] = {
    "the market snapshot": TypeAdapter(MarketSnapshot),
    "foreign detail": TypeAdapter(ForeignDetail),
    "volume stats": TypeAdapter(VolumeStats),
    "basis trend": TypeAdapter(list[BasisPoint]),
    "alerts": TypeAdapter(list[Alert]),
    "VN30 components": TypeAdapter(Components),
    "the health check": TypeAdapter(Health),
}
MESSAGES: dict[str, TypeAdapter[Any]] = {
    "market": TypeAdapter(MarketSnapshot),
    "foreign": TypeAdapter(ForeignSummary),
    "index": TypeAdapter(IndexBoard),
    "alerts": TypeAdapter(Alert),
}
STATUS: TypeAdapter[Status] = TypeAdapter(Status)
_ERRORS_SHOWN = 5


def check(answer: str, value: Any) -> None:
    """AssertionError naming each field of `value` that is missing or mistyped for the REST answer `answer`."""
    try:
        adapter = ANSWERS[answer]
    except KeyError:
        raise KeyError(f"no shape for {answer!r}: known are {', '.join(ANSWERS)}") from None
    _validate(adapter, value, answer)


def check_message(channel: str, value: Any) -> None:
    """The same for a message of /ws/<channel>: a status message, or the channel's own shape."""
    is_status = isinstance(value, dict) and value.get("type") == "status"
    if is_status:
        _validate(STATUS, value, f"a status message of /ws/{channel}")
        return
    try:
        adapter = MESSAGES[channel]
    except KeyError:
        raise KeyError(f"no message shape for channel {channel!r}: known are {', '.join(MESSAGES)}") from None
    _validate(adapter, value, f"a message of /ws/{channel}")


def _validate(adapter: TypeAdapter[Any], value: Any, what: str) -> None:
    try:
        adapter.validate_python(value)
    except ValidationError as error:
        problems = [_problem(detail) for detail in error.errors()]
        more = f" (and {len(problems) - _ERRORS_SHOWN} more)" if len(problems) > _ERRORS_SHOWN else ""
        raise AssertionError(f"{what} does not have the contract's shape ([shapes]): "
                             f"{'; '.join(problems[:_ERRORS_SHOWN])}{more}") from None


def _problem(detail: Any) -> str:
    """`quotes.VNM.total_volume: Input should be a valid number (it is '1000')`: the field by pydantic's location."""
    location = ""
    for part in detail.get("loc", ()):
        location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else str(part))
    message = str(detail.get("msg", "invalid")).removeprefix("Value error, ")
    if detail.get("type") == "missing":
        return f"{location}: missing"
    if not location:
        return message
    return f"{location}: {message} (it is {detail.get('input')!r:.80})"
