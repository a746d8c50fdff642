"""The SignalR 1.5 stream, through the official client and a raw one."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace

import httpx
import pytest
import websockets.exceptions
from sim_helpers import (
    OfficialStream,
    RawStream,
    access_token,
    connections,
    eventually,
    subscribed,
)
from ssi_fc_data.fc_md_client import MarketDataClient
from ssi_fc_data.fc_md_stream import MarketDataStream
from ssi_fc_data.signalr.hubs.errors import UnAuthorizedHubError
from websockets.sync.client import connect

from ssi_simulator import frames
from ssi_simulator.background import BackgroundSimulator

OpenOfficial = Callable[[str], OfficialStream]
OpenRaw = Callable[..., RawStream]


def publish(control: httpx.Client, *items: object) -> int:
    response = control.post("/control/frames", json={"frames": list(items)})
    assert response.status_code == 200, response.text
    delivered: int = response.json()["delivered"]
    return delivered


def test_official_client_receives_published_frames(official_stream: OpenOfficial, control: httpx.Client) -> None:
    stream = official_stream("X:ALL,R:ALL,MI:ALL,B:ALL")
    subscribed(control, ["X:ALL", "R:ALL", "MI:ALL", "B:ALL"])
    sent = [
        frames.quote("VNM", bid1=80.4, ask1=80.5, ref=80.0, ceiling=85.6, floor=74.4),
        frames.trade("VNM", 80.5, 1000),
        frames.foreign("VNM", buy_vol=500, sell_vol=100, buy_val=4.0e7, sell_val=8.0e6),
        frames.index("VN30", 1300.5, prior=1290.0, advances=20, declines=8),
        frames.bar("VNM", open=80.0, high=80.6, low=79.9, close=80.5, volume=12_000),
    ]
    assert publish(control, *sent) == 1
    eventually(lambda: len(stream.messages) == len(sent), what="five broadcasts")
    assert stream.contents() == sent
    assert [m["DataType"] for m in stream.messages] == ["X", "X", "R", "MI", "B"]
    assert stream.errors == []


MARKERS = {
    "X-TRADE": frames.trade("VNM", 1.0, 1, session="C"),
    "X-QUOTE": frames.quote("ZZZ", bid1=1.0, ask1=1.1),
    "X": frames.trade("FPT", 1.0, 1, session="C"),
    "MI": frames.index("VN30", 1.0),
    "R": frames.foreign("ZZZ", buy_vol=0, sell_vol=0, buy_val=0.0, sell_val=0.0),
}


@pytest.mark.parametrize(
    ("channels", "expected"),
    [
        ("X-TRADE:VNM", ["Trade VNM"]),
        ("X-QUOTE:ALL", ["Quote VNM", "Quote FPT"]),
        ("X:FPT", ["Quote FPT", "Trade FPT", "X FPT"]),
        ("X-TRADE:VNM-FPT", ["Trade VNM", "Trade FPT"]),
        ("MI:VN30", ["MI VN30"]),
        ("R:ALL,B:VNM", ["R VNM", "B VNM"]),
    ],
)
def test_channels_filter_by_kind_and_symbol(
    official_stream: OpenOfficial, control: httpx.Client, channels: str, expected: list[str]
) -> None:
    stream = official_stream(channels)
    subscribed(control, channels.split(","))
    everything = [
        frames.quote("VNM", bid1=80.4, ask1=80.5), frames.trade("VNM", 80.5, 100),
        frames.quote("FPT", bid1=99.9, ask1=100.0), frames.trade("FPT", 100.0, 200),
        frames.trade_quote("FPT", 100.0, 300, bid1=99.9, ask1=100.0),
        frames.index("VNINDEX", 1250.0), frames.index("VN30", 1300.0),
        frames.foreign("VNM", buy_vol=1, sell_vol=0, buy_val=80_500.0, sell_val=0.0),
        frames.bar("VNM", open=80, high=81, low=80, close=81, volume=100),
        frames.bar("FPT", open=99, high=100, low=99, close=100, volume=100),
        frames.trade("ZZZ", 1.0, 1),
    ]
    marker = MARKERS[channels.split(":")[0]]
    publish(control, *everything)
    publish(control, marker)  # queued after the batch, so once it is in, the batch is all in
    eventually(lambda: stream.contents()[-1:] == [marker], what="the marker frame")
    got = [f"{c['RType']} {c.get('Symbol') or c.get('IndexId')}" for c in stream.contents()[:-1]]
    assert got == expected


def test_frames_arrive_in_order(raw_stream: OpenRaw, control: httpx.Client) -> None:
    stream = raw_stream("X-TRADE:ALL")
    trades = [frames.trade("VNM", 80.0, volume) for volume in range(1, 501)]
    for start in range(0, 500, 100):
        publish(control, *trades[start : start + 100])
    got = stream.broadcasts(500)
    assert [json.loads(p["Content"])["LastVol"] for p in got] == list(range(1, 501))


def test_raw_protocol_shapes(raw_stream: OpenRaw, sim: BackgroundSimulator, control: httpx.Client) -> None:
    stream = raw_stream()
    negotiation = stream.negotiation
    assert negotiation["ProtocolVersion"] == "1.5" and negotiation["TryWebSockets"] is True
    assert {"ConnectionToken", "ConnectionId", "Url", "KeepAliveTimeout", "DisconnectTimeout",
            "TransportConnectTimeout"} <= set(negotiation)
    assert stream.init["S"] == 1 and stream.init["M"] == [] and isinstance(stream.init["C"], str)
    assert stream.invoke("SwitchChannels", "X:VNM") == {"I": "0"}
    assert httpx.get(stream.url("start", "http")).json() == {"Response": "started"}
    assert control.get("/control/state").json()["connections"][0]["state"] == "started"
    publish(control, frames.trade("VNM", 80.5, 100))
    frame = eventually(lambda: f if (f := stream.recv()).get("M") else None, what="a broadcast frame")
    [message] = frame["M"]
    assert set(frame) == {"C", "M"} and set(message) == {"H", "M", "A"}
    assert json.loads(json.loads(message["A"][0])["Content"])["Symbol"] == "VNM"


def test_keep_alives_flow_when_idle(raw_stream: OpenRaw) -> None:
    stream = raw_stream("X:ALL")
    assert stream.recv(timeout=3) == {}  # keepalive_s=0.5 in the fixture


def test_bad_invocations_get_an_error_result(raw_stream: OpenRaw) -> None:
    stream = raw_stream()
    assert "E" in stream.invoke("SwitchChannels", "NOPE:ALL")
    assert "E" in stream.invoke("Subscribe", "X:ALL")
    assert stream.invoke("SwitchChannels", "x-trade:vnm") == {"I": "2"}


def test_abort_closes_the_connection(raw_stream: OpenRaw, control: httpx.Client) -> None:
    stream = raw_stream("X:ALL")
    assert httpx.post(stream.url("abort", "http")).status_code == 200
    with pytest.raises(websockets.exceptions.ConnectionClosed):
        while True:
            stream.recv()
    eventually(lambda: connections(control) == [], what="the connection to go")


def test_official_client_is_refused_without_a_valid_token(ssi_config: SimpleNamespace) -> None:
    client = MarketDataClient(ssi_config)
    client._access_token._access_token = "Bearer-less.garbage.token"  # a token the server never issued
    stream = MarketDataStream(ssi_config, client)
    with pytest.raises(UnAuthorizedHubError):
        stream.start(lambda _: None, lambda _: None, "X:ALL")


def test_negotiate_without_a_token_is_401(sim: BackgroundSimulator) -> None:
    for method in ("GET", "POST"):
        assert httpx.request(method, sim.base_url + "v2.0/signalr/negotiate?clientProtocol=1.5").status_code == 401


def test_connect_needs_a_negotiated_token(sim: BackgroundSimulator) -> None:
    url = sim.base_url.replace("http", "ws", 1) + "v2.0/signalr/connect?transport=webSockets&connectionToken=forged"
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused, connect(url):
        pass
    assert refused.value.response.status_code == 400


def test_a_connection_token_connects_once(raw_stream: OpenRaw) -> None:
    stream = raw_stream()
    with pytest.raises(websockets.exceptions.InvalidStatus), connect(stream.url("connect")):
        pass


def test_drop_is_observed_by_the_official_client(official_stream: OpenOfficial, control: httpx.Client) -> None:
    stream = official_stream("X:ALL")
    subscribed(control, ["X:ALL"])
    publish(control, frames.trade("VNM", 80.5, 100))
    assert control.post("/control/drop", json={"refuse_for_s": 0}).json()["closed"] == 1
    assert stream.closed.wait(5), "the official client did not see the drop"
    assert len(stream.messages) == 1  # frames published before the drop still arrive first
    assert connections(control) == []


def test_abrupt_drop_closes_without_a_close_frame(raw_stream: OpenRaw, control: httpx.Client) -> None:
    stream = raw_stream("X:ALL")
    control.post("/control/drop", json={"refuse_for_s": 0, "abrupt": True})
    with pytest.raises(websockets.exceptions.ConnectionClosedError) as closed:
        while True:
            stream.recv()
    assert closed.value.rcvd is None


def test_refused_negotiations_are_counted_then_accepted_again(
    sim: BackgroundSimulator, control: httpx.Client, raw_stream: OpenRaw
) -> None:
    token = access_token(sim.base_url)
    control.post("/control/drop", json={"refuse_for_s": 30})  # long enough for a loaded machine to ask in it
    refused = httpx.post(sim.base_url + "v2.0/signalr/negotiate", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 503
    control.post("/control/drop", json={"refuse_for_s": 0})  # a drop without refusal ends the window
    stream = eventually(lambda: _try_connect(sim.base_url, token), what="the refusal window to end")
    state = control.get("/control/state").json()
    assert state["refused_negotiations"] >= 1 and len(state["negotiations"]) >= 2
    assert all(t.endswith("+00:00") for t in state["negotiations"])
    stream.close()


def _try_connect(base_url: str, token: str) -> RawStream | None:
    try:
        return RawStream(base_url, token)
    except httpx.HTTPStatusError:
        return None
