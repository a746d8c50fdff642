"""Everything the simulator remembers: credentials, VN30 and securities data, counters, outages."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .hub import StreamHub
from .messages import ControlState, VN30Shape
from .tokens import DEFAULT_LIFETIME_S, TokenIssuer
from .vn30 import DEFAULT_VN30


def default_securities(symbols: tuple[str, ...] = DEFAULT_VN30) -> list[dict[str, Any]]:
    """Securities rows with zero foreign flow, as SSI lists them before the open."""
    return [
        {"Market": "HOSE", "Symbol": s, "StockName": s, "StockEnName": s,
         "FBuyVol": 0, "FSellVol": 0, "FBuyVal": 0.0, "FSellVal": 0.0}
        for s in symbols
    ]


@dataclass
class SimulatorState:
    consumer_id: str
    consumer_secret: str
    keepalive_s: float = 5.0
    token_lifetime_s: float = DEFAULT_LIFETIME_S
    queue_size: int = 20_000  # frames a connection may have waiting before it counts as slow
    slow_timeout_s: float = 2.0  # how long a publish waits for a slow connection before cutting it
    vn30: list[str] = field(default_factory=lambda: list(DEFAULT_VN30))
    vn30_shape: VN30Shape = "nested"
    securities: list[dict[str, Any]] = field(default_factory=default_securities)
    token_requests: int = 0
    token_request_times: list[str] = field(default_factory=list)  # when each token request came (UTC)
    token_refusals: list[str] = field(default_factory=list)  # why each refused token request was refused
    negotiations: list[str] = field(default_factory=list)
    refused_negotiations: int = 0
    refuse_until: float = 0.0  # time.monotonic() before which negotiations are refused
    tokens: TokenIssuer = field(init=False)
    hub: StreamHub = field(init=False)

    def __post_init__(self) -> None:
        self._initial = (self.consumer_id, self.consumer_secret)
        self.tokens = TokenIssuer(self.token_lifetime_s)
        self.hub = StreamHub(
            keepalive_s=self.keepalive_s, queue_size=self.queue_size, slow_timeout_s=self.slow_timeout_s
        )

    def refusing(self) -> bool:
        return time.monotonic() < self.refuse_until

    def refuse_for(self, seconds: float) -> None:
        self.refuse_until = time.monotonic() + seconds if seconds > 0 else 0.0

    def record_token_request(self) -> None:
        self.token_requests += 1
        self.token_request_times.append(_stamp())

    def record_negotiation(self, refused: bool) -> None:
        self.negotiations.append(_stamp())
        if refused:
            self.refused_negotiations += 1

    def reset(self) -> None:
        """Back to the configuration the server started with; open connections stay."""
        self.consumer_id, self.consumer_secret = self._initial
        self.vn30 = list(DEFAULT_VN30)
        self.vn30_shape = "nested"
        self.securities = default_securities()
        self.token_requests = 0
        self.token_request_times.clear()
        self.token_refusals.clear()
        self.negotiations.clear()
        self.refused_negotiations = 0
        self.refuse_until = 0.0
        self.hub.frames_sent = 0
        self.hub.frames_posted = 0
        self.hub.forget_peak()

    def view(self) -> ControlState:
        return {
            "connections": self.hub.views(),
            "frames_sent": self.hub.frames_sent,
            "frames_posted": self.hub.frames_posted,
            "token_requests": self.token_requests,
            "token_request_times": list(self.token_request_times),
            "token_refusals": list(self.token_refusals),
            "vn30": list(self.vn30),
            "negotiations": list(self.negotiations),
            "refused_negotiations": self.refused_negotiations,
            "open_connections": self.hub.open_sockets,
            "most_connections_at_once": self.hub.most_open_sockets,
        }


def _stamp() -> str:
    """Now, as the record shows it: UTC, to the millisecond (real time, whatever a tracker's clock says)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")
