"""Which stream subscriptions a content message reaches (SSI's SwitchChannels rules)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CHANNELS: tuple[str, ...] = ("X", "X-TRADE", "X-QUOTE", "R", "MI", "B")

# RType -> channels it is broadcast on.
ROUTES: dict[str, tuple[str, ...]] = {
    "Trade": ("X", "X-TRADE"),
    "Quote": ("X", "X-QUOTE"),
    "X": ("X",),
    "R": ("R",),
    "MI": ("MI",),
    "B": ("B",),
}

# RType -> ``DataType`` of the Broadcast payload (the channel family).
DATA_TYPES: dict[str, str] = {
    "Trade": "X",
    "Quote": "X",
    "X": "X",
    "R": "R",
    "MI": "MI",
    "B": "B",
}


class ChannelError(ValueError):
    """A SwitchChannels argument that names no known channel."""


@dataclass(frozen=True, slots=True)
class Route:
    """Where one content message goes: channel names and the filter key (symbol or index id)."""

    channels: tuple[str, ...]
    key: str


@dataclass(frozen=True, slots=True)
class Subscriptions:
    """A parsed SwitchChannels argument: channel -> symbols (``None`` = ALL)."""

    text: tuple[str, ...]
    filters: Mapping[str, frozenset[str] | None]

    def wants(self, route: Route) -> bool:
        for channel in route.channels:
            if channel in self.filters:
                keys = self.filters[channel]
                if keys is None or route.key in keys:
                    return True
        return False


NOTHING = Subscriptions(text=(), filters={})


def parse_channels(spec: str) -> Subscriptions:
    """Parse ``"X:ALL,X-TRADE:VNM-FPT,MI:VN30"``; raise ChannelError naming the bad part."""
    filters: dict[str, frozenset[str] | None] = {}
    text: list[str] = []
    for raw in spec.split(","):
        part = raw.strip()
        if not part:
            continue
        channel, sep, keys_text = part.partition(":")
        channel = channel.strip().upper()
        if channel not in CHANNELS:
            raise ChannelError(f"unknown channel {channel!r} in {spec!r}")
        keys_text = keys_text.strip().upper() if sep else "ALL"
        if not keys_text:
            raise ChannelError(f"channel {part!r} names no symbol (use {channel}:ALL)")
        text.append(f"{channel}:{keys_text}")
        keys = frozenset(k.strip() for k in keys_text.split("-") if k.strip())
        previous = filters.get(channel, frozenset())
        if "ALL" in keys or previous is None:
            filters[channel] = None
        else:
            filters[channel] = previous | keys
    if not text:
        raise ChannelError(f"no channel in {spec!r}")
    return Subscriptions(text=tuple(text), filters=filters)


def route_of(content: Mapping[str, Any]) -> Route:
    """The route of a content dict; raise ValueError when its RType is not a known one."""
    rtype = content.get("RType")
    if not isinstance(rtype, str) or rtype not in ROUTES:
        raise ValueError(f"unknown RType {rtype!r} (known: {', '.join(ROUTES)})")
    key_field = "IndexId" if rtype == "MI" and "IndexId" in content else "Symbol"
    key = content.get(key_field)
    return Route(channels=ROUTES[rtype], key=str(key).upper() if key is not None else "")
