"""Wire shapes of SSI FastConnect and of the control API, kept in one place so both sides agree."""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

Content = dict[str, Any]
"""A decoded Broadcast ``Content``: PascalCase fields plus ``RType`` (see TradeContent etc.)."""


class TradeContent(TypedDict, total=False):
    """RType ``Trade`` (and the trade half of ``X``)."""

    RType: str
    Symbol: str
    Exchange: str
    TradingDate: str
    Time: str
    LastPrice: float
    LastVol: int
    TotalVol: int
    TotalVal: float
    Change: float
    RatioChange: float
    TradingSession: str
    Open: float
    High: float
    Low: float
    RefPrice: float
    Ceiling: float
    Floor: float


class QuoteContent(TypedDict, total=False):
    """RType ``Quote`` (and the quote half of ``X``); levels 1..3 are used here."""

    RType: str
    Symbol: str
    Exchange: str
    TradingDate: str
    Time: str
    TradingSession: str
    RefPrice: float
    Ceiling: float
    Floor: float
    BidPrice1: float
    BidVol1: int
    BidPrice2: float
    BidVol2: int
    BidPrice3: float
    BidVol3: int
    AskPrice1: float
    AskVol1: int
    AskPrice2: float
    AskVol2: int
    AskPrice3: float
    AskVol3: int


class ForeignContent(TypedDict, total=False):
    """RType ``R``: foreign room, cumulative since the open (values in VND)."""

    RType: str
    Symbol: str
    Exchange: str
    TradingDate: str
    Time: str
    FBuyVol: int
    FSellVol: int
    FBuyVal: float
    FSellVal: float
    TotalRoom: int
    CurrentRoom: int


class IndexContent(TypedDict, total=False):
    """RType ``MI``: one index tick."""

    RType: str
    IndexId: str
    IndexName: str
    Exchange: str
    TradingDate: str
    Time: str
    IndexValue: float
    PriorIndexValue: float
    Change: float
    RatioChange: float
    TotalQtty: int
    Advances: int
    Declines: int
    NoChanges: int
    TradingSession: str


class BarContent(TypedDict, total=False):
    """RType ``B``: a one-minute bar."""

    RType: str
    Symbol: str
    TradingDate: str
    Time: str
    Open: float
    High: float
    Low: float
    Close: float
    Volume: int
    Value: float


class BroadcastPayload(TypedDict):
    """The single argument of hub method ``Broadcast`` (serialised to a JSON string)."""

    DataType: str
    Content: str


class HubMessage(TypedDict):
    H: str
    M: str
    A: list[Any]


class PersistentFrame(TypedDict):
    """A SignalR 1.5 persistent-connection frame carrying hub messages."""

    C: str
    M: list[HubMessage]
    S: NotRequired[int]


class HubInvocation(TypedDict):
    """What a client sends: ``{"H","M","A","I"}``."""

    H: str
    M: str
    A: list[Any]
    I: int | str


class InvocationResult(TypedDict):
    I: str
    E: NotRequired[str]


class NegotiateResponse(TypedDict):
    Url: str
    ConnectionToken: str
    ConnectionId: str
    KeepAliveTimeout: float
    DisconnectTimeout: float
    ConnectionTimeout: float
    TryWebSockets: bool
    ProtocolVersion: str
    TransportConnectTimeout: float
    LongPollDelay: float


class AccessTokenData(TypedDict):
    accessToken: str


class AccessTokenResponse(TypedDict):
    """Exactly these keys: the official client builds ``Response(**body)``."""

    status: int
    message: str
    data: AccessTokenData | None


class ListResponse(TypedDict):
    """IndexComponents / Securities answer."""

    status: str
    message: str
    totalRecord: int
    data: list[dict[str, Any]]


VN30Shape = Literal["nested", "flat"]


class ConnectionView(TypedDict):
    id: str
    channels: list[str]
    state: str


class TokenRecord(TypedDict):
    """An access token the simulator issued, its times on the exchange's clock (ISO, UTC)."""

    issued_at: str
    expires_at: str


class ControlState(TypedDict):
    connections: list[ConnectionView]
    frames_sent: int
    frames_posted: int
    token_requests: int
    token_request_times: list[str]
    token_refusals: list[str]
    vn30: list[str]
    negotiations: list[str]
    refused_negotiations: int
    open_connections: int  # stream sockets open now
    most_connections_at_once: int  # the most stream sockets open at one moment since start (or reset)
    clock: str  # the exchange's time (ISO, UTC): real time unless moved (PUT /control/clock)
    tokens_issued: list[TokenRecord]
    bearer_refusals: list[str]  # why each refused Bearer token (REST or negotiate) was refused
    connections_opened: int  # stream connections ever opened (WebSocket connect), since start or reset
