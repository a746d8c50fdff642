"""The control API: what it accepts, what it refuses, and what it reports."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sim_helpers import HUB_DATA, RawStream, access_token, connections, eventually

from ssi_simulator import frames
from ssi_simulator.background import BackgroundSimulator

OpenRaw = Callable[..., RawStream]


@pytest.mark.parametrize(
    ("method", "path", "body", "reason"),
    [
        ("POST", "/control/frames", None, "not JSON"),
        ("POST", "/control/frames", {"frames": "x"}, "'frames' must be a list"),
        ("POST", "/control/frames", {"frames": [1]}, "frame 0"),
        ("POST", "/control/frames", {"frames": [{"RType": "Nope", "Symbol": "VNM"}]}, "unknown RType"),
        ("POST", "/control/frames", {"frames": [{"Symbol": "VNM"}]}, "unknown RType"),
        ("POST", "/control/signalr-frames", {"frames": []}, "non-empty list"),
        ("POST", "/control/signalr-frames", {"frames": [{"M": []}, 7]}, "SignalR frame 1"),
        ("POST", "/control/drop", {"refuse_for_s": -1}, "between 0"),
        ("POST", "/control/drop", {"refuse_for_s": "5"}, "number of seconds"),
        ("POST", "/control/drop", {"refuse_for_s": 0, "abrupt": "yes"}, "'abrupt'"),
        ("PUT", "/control/vn30", {}, "'symbols'"),
        ("PUT", "/control/vn30", {"symbols": []}, "non-empty list"),
        ("PUT", "/control/vn30", {"symbols": ["VNM", 3]}, "bad ticker"),
        ("PUT", "/control/vn30", {"shape": "round"}, "'shape'"),
        ("PUT", "/control/securities", {"data": {"Symbol": "VNM"}}, "'data' must be a list"),
        ("PUT", "/control/securities", {"data": [{"FBuyVol": 1}]}, "row 0"),
        ("PUT", "/control/credentials", {"consumer_id": "a"}, "'consumer_secret'"),
        ("PUT", "/control/credentials", {"consumer_id": "", "consumer_secret": "b"}, "'consumer_id'"),
    ],
)
def test_bad_control_input_is_a_400_with_the_reason(
    control: httpx.Client, method: str, path: str, body: object, reason: str
) -> None:
    response = control.request(method, path, json=body) if body is not None else control.request(
        method, path, content=b"not json"
    )
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert control.get("/control/state").status_code == 200  # and the server is still fine


def test_a_refused_batch_sends_nothing(raw_stream: OpenRaw, control: httpx.Client) -> None:
    stream = raw_stream("X:ALL")
    bad = control.post("/control/frames", json={"frames": [frames.trade("VNM", 1.0, 1), {"RType": "?"}]})
    assert bad.status_code == 400 and "frame 1" in bad.json()["error"]
    control.post("/control/frames", json={"frames": [frames.trade("FPT", 2.0, 2)]})
    [payload] = stream.broadcasts(1)
    assert '"FPT"' in payload["Content"]


def test_delivered_counts_connections_reached(raw_stream: OpenRaw, control: httpx.Client) -> None:
    raw_stream("X-TRADE:VNM")
    raw_stream("X:ALL")
    raw_stream("MI:VN30")
    result = control.post("/control/frames", json={"frames": [frames.trade("VNM", 80.0, 1), frames.quote("VNM", bid1=1, ask1=2)]})
    assert result.json() == {"delivered": 2, "deliveries": 3}
    state = control.get("/control/state").json()
    assert (state["frames_posted"], state["frames_sent"]) == (2, 3)
    assert sorted(c["channels"][0] for c in state["connections"]) == ["MI:VN30", "X-TRADE:VNM", "X:ALL"]


def test_raw_strings_reach_every_connection_as_is(raw_stream: OpenRaw, control: httpx.Client) -> None:
    stream = raw_stream("MI:VN30")
    assert control.post("/control/frames", json={"frames": ["not json at all"]}).json()["delivered"] == 1
    frame = eventually(lambda: f if (f := stream.recv()).get("M") else None, what="the raw frame")
    assert frame["M"][0]["A"] == ["not json at all"]


def test_signalr_frames_reach_every_connection_whole_and_as_is(raw_stream: OpenRaw, control: httpx.Client) -> None:
    trades, indices = raw_stream("X:ALL"), raw_stream("MI:VN30")
    broadcast = {"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": [frames.encode_broadcast(frames.trade("VNM", 80.0, 1))]}
    odd = {"C": "d-odd,1", "M": [42, broadcast]}
    answer = control.post("/control/signalr-frames", json={"frames": [odd, "not json {"]})
    assert answer.json() == {"delivered": 2, "deliveries": 4}  # no routing: both connections, both frames
    for stream in (trades, indices):
        texts: list[str] = []
        while len(texts) < 2:
            text = stream.ws.recv(5)
            if text != "{}":  # keep-alives aside
                texts.append(text)
        assert json.loads(texts[0]) == odd and texts[1] == "not json {"
    state = control.get("/control/state").json()
    assert (state["frames_posted"], state["frames_sent"]) == (2, 4)


def test_state_counts_tokens_and_negotiations(raw_stream: OpenRaw, control: httpx.Client) -> None:
    raw_stream()
    state = control.get("/control/state").json()
    assert state["token_requests"] == 1 and len(state["negotiations"]) == 1
    assert state["connections"][0]["channels"] == []
    assert control.post("/control/reset").json() == {"reset": True}
    assert control.get("/control/state").json()["negotiations"] == []


def test_state_stamps_each_token_request_and_negotiation(raw_stream: OpenRaw, control: httpx.Client) -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=1)
    raw_stream()
    raw_stream()
    state = control.get("/control/state").json()
    tokens = [datetime.fromisoformat(moment) for moment in state["token_request_times"]]
    negotiations = [datetime.fromisoformat(moment) for moment in state["negotiations"]]
    assert len(tokens) == state["token_requests"] == 2 and len(negotiations) == 2
    assert before <= tokens[0] <= negotiations[0] <= tokens[1] <= negotiations[1] <= datetime.now(UTC)
    control.post("/control/reset")
    assert control.get("/control/state").json()["token_request_times"] == []


def test_state_counts_the_most_stream_connections_open_at_once(raw_stream: OpenRaw, control: httpx.Client) -> None:
    first = raw_stream()
    state = control.get("/control/state").json()
    assert (state["open_connections"], state["most_connections_at_once"]) == (1, 1)
    second = raw_stream()
    second.close()
    eventually(lambda: control.get("/control/state").json()["open_connections"] == 1, what="the second one closed")
    assert control.get("/control/state").json()["most_connections_at_once"] == 2
    control.post("/control/reset")  # counts afresh from the one still open
    assert control.get("/control/state").json()["most_connections_at_once"] == 1
    first.close()
    eventually(lambda: control.get("/control/state").json()["open_connections"] == 0, what="the first one closed")
    raw_stream()
    state = control.get("/control/state").json()
    assert (state["open_connections"], state["most_connections_at_once"]) == (1, 1)


def test_a_drop_closes_before_it_answers_so_the_count_is_down_at_once(raw_stream: OpenRaw,
                                                                      control: httpx.Client) -> None:
    raw_stream()
    assert control.post("/control/drop", json={"refuse_for_s": 0}).json()["closed"] == 1
    assert control.get("/control/state").json()["open_connections"] == 0


def test_a_slow_connection_does_not_hold_up_the_others() -> None:
    with BackgroundSimulator(queue_size=4, slow_timeout_s=0.2) as sim, httpx.Client(base_url=sim.base_url) as control:
        stalled = _stalled_subscriber(sim.base_url)
        healthy = RawStream(sim.base_url)
        healthy.invoke("SwitchChannels", "X:ALL")
        try:
            eventually(lambda: [c["channels"] for c in connections(control)] == [["X:ALL"]] * 2, what="two subscribers")
            big = frames.trade("VNM", 80.0, 1, Padding="x" * 100_000)
            for _ in range(400):  # until the kernel's buffers are full and the queue too
                started = time.monotonic()
                assert control.post("/control/frames", json={"frames": [big]}).status_code == 200
                assert time.monotonic() - started < 2  # bounded by slow_timeout_s, never stuck
                assert len(healthy.broadcasts(1)) == 1
                if len(connections(control)) == 1:
                    break
            assert len(connections(control)) == 1, "the stalled connection was never cut"
        finally:
            healthy.close()
            stalled.close()


def _stalled_subscriber(base_url: str) -> socket.socket:
    """A SignalR client that subscribes to everything, then never reads again."""
    token = access_token(base_url)
    negotiated = httpx.post(base_url + "v2.0/signalr/negotiate", headers={"Authorization": f"Bearer {token}"}).json()
    query = urllib.parse.urlencode({"transport": "webSockets", "connectionToken": negotiated["ConnectionToken"],
                                    "connectionData": HUB_DATA})
    host, port = urllib.parse.urlsplit(base_url).netloc.split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
    sock.connect((host, int(port)))
    sock.sendall(
        f"GET /v2.0/signalr/connect?{query} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    eventually(lambda: b"101" in sock.recv(4096, socket.MSG_PEEK), what="the upgrade")
    invocation = b'{"H":"FcMarketDataV2Hub","M":"SwitchChannels","A":["X:ALL"],"I":0}'
    mask = b"\x00\x00\x00\x00"  # a zero mask leaves the payload as is
    sock.sendall(bytes([0x81, 0x80 | len(invocation)]) + mask + invocation)
    return sock
