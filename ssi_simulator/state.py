"""Everything the simulator remembers: credentials, VN30 and securities data, counters, outages."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .hub import StreamHub
from .messages import ControlState, TokenRecord, VN30Shape
from .tokens import DEFAULT_LIFETIME_S, TokenIssuer, expiry_of
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
    tokens_issued: list[TokenRecord] = field(default_factory=list)  # on the exchange's clock
    bearer_refusals: list[str] = field(default_factory=list)  # why each refused Bearer token was refused
    clock_offset_s: float = 0.0  # the exchange's clock: real time plus this (its tokens follow it)
    negotiations: list[str] = field(default_factory=list)
    refused_negotiations: int = 0
    refuse_until: float = 0.0  # time.monotonic() before which negotiations are refused
    tokens: TokenIssuer = field(init=False)
    hub: StreamHub = field(init=False)

    def __post_init__(self) -> None:
        self._initial = (self.consumer_id, self.consumer_secret)
        self.tokens = TokenIssuer(self.token_lifetime_s, clock=self.now)
        self.hub = StreamHub(
            keepalive_s=self.keepalive_s, queue_size=self.queue_size, slow_timeout_s=self.slow_timeout_s
        )

    def now(self) -> float:
        """The exchange's time (seconds since the epoch): a suite that moves a tracker's clock moves this one
        too, so the tokens it issues expire in the tracker's time, as SSI's and a tracker's clocks agree."""
        return time.time() + self.clock_offset_s

    def issue_token(self) -> str:
        """A new access token for the consumer, recorded with its issue and expiry times."""
        token = self.tokens.issue(self.consumer_id)
        expiry = expiry_of(token)
        self.tokens_issued.append({"issued_at": _iso(self.now()),
                                   "expires_at": _iso(expiry) if expiry is not None else ""})
        return token

    def check_bearer(self, authorization: str | None) -> str | None:
        """None when the `Authorization` header holds a valid token now; else the reason, recorded."""
        problem = self.tokens.check_header(authorization)
        if problem is not None:
            self.bearer_refusals.append(problem)
        return problem

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
        self.tokens_issued.clear()
        self.bearer_refusals.clear()
        self.clock_offset_s = 0.0
        self.negotiations.clear()
        self.refused_negotiations = 0
        self.refuse_until = 0.0
        self.hub.frames_sent = 0
        self.hub.frames_posted = 0
        self.hub.forget_peak()
        self.hub.connections_opened = 0

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
            "clock": _iso(self.now()),
            "tokens_issued": list(self.tokens_issued),
            "bearer_refusals": list(self.bearer_refusals),
            "connections_opened": self.hub.connections_opened,
        }


def _stamp() -> str:
    """Now, as the record shows it: UTC, to the millisecond (real time, whatever a tracker's clock says)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")
