"""The WebSocket client driver against a throwaway local server: frames with times, close codes, slow reading."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from websockets.sync.server import Server, ServerConnection, serve

from support.eventually import Hopeless
from support.ws_client import ClientState, WsClient


def _handler(connection: ServerConnection) -> None:
    for message in connection:
        if message == "close-1008":
            connection.close(1008, "policy")
            return
        if message == "ping-twice":
            connection.ping()
            connection.ping()
            connection.send("pinged")
            continue
        if message == "flood":
            for n in range(2000):
                connection.send(f'{{"n": {n}, "pad": "{"x" * 1000}"}}')
            connection.send("done")
            continue
        connection.send(message)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(_handler, "127.0.0.1", 0) as running:
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        yield running
        running.shutdown()
        thread.join(5)


def _url(server: Server) -> str:
    return f"ws://127.0.0.1:{server.socket.getsockname()[1]}/ws/market?token=secret"


def test_frames_are_recorded_with_their_time_and_waited_for(server: Server) -> None:
    client = WsClient(_url(server), name="the dashboard").connect()
    try:
        sent_at = time.monotonic()
        client._conn.send('{"type": "status", "connected": true}')  # type: ignore[union-attr]
        client._conn.send('{"quotes": {}}')  # type: ignore[union-attr]
        frame = client.wait_for(lambda f: f.payload == {"quotes": {}}, timeout=5, what="the snapshot")
        seen_at = time.monotonic()
        status = client.frames[0]
        # stamped on the monotonic clock when each arrived, in order, between the send and the wait's end
        assert client.opened_at is not None and client.opened_at <= sent_at <= status.at <= frame.at <= seen_at
        assert [f.is_status for f in client.frames] == [True, False]
        assert len(client.updates) == 1
        with pytest.raises(AssertionError, match=r"the dashboard did not receive a miracle; it is open after 2 frame"
                                                 r".*\n\(still so after waiting 0.1 s\)"):
            client.wait_for(lambda f: False, timeout=0.1, what="a miracle")
    finally:
        client.close()
    assert "secret" not in str(client.transcript())


def test_a_close_by_the_server_records_its_code(server: Server) -> None:
    client = WsClient(_url(server), name="the dashboard").connect()
    client._conn.send("close-1008")  # type: ignore[union-attr]
    assert client.wait_closed(5) == 1008
    assert client.state is ClientState.CLOSED and client.close_reason == "policy"
    started = time.monotonic()
    with pytest.raises(Hopeless, match="the dashboard did not receive an update; it is closed with code 1008"):
        client.wait_for(lambda f: True, timeout=5, what="an update")  # nothing more can come: no waiting
    assert time.monotonic() - started < 1
    client.close()


def test_a_slow_client_stops_reading_and_closes_at_once(server: Server) -> None:
    client = WsClient(_url(server), name="the slow dashboard", slow=True).connect()
    client._conn.send("flood")  # type: ignore[union-attr]
    with pytest.raises(AssertionError):
        client.wait_for(lambda f: f.data == "done", timeout=0.3, what="the end of the flood")
    assert client.frames == []
    client.close()
    # its own reader thread is gone (a count of all threads would race with other tests' servers)
    assert not [t for t in threading.enumerate() if t.name == "ws-the slow dashboard"]


def test_a_slow_client_that_reads_again_gets_what_its_buffers_held_in_order(server: Server) -> None:
    client = WsClient(_url(server), name="the slow dashboard", slow=True).connect()
    client._conn.send("flood")  # type: ignore[union-attr]
    with pytest.raises(AssertionError):
        client.wait_for(lambda f: f.data == "done", timeout=0.3, what="the end of the flood")
    client.resume()
    client.wait_for(lambda f: f.data == "done", timeout=5, what="the end of the flood")
    assert [f.payload["n"] for f in client.frames[:-1]] == list(range(2000))
    client.close()
    assert client.state is ClientState.CLOSED


def test_ping_frames_are_recorded_with_their_time(server: Server) -> None:
    client = WsClient(_url(server), name="the dashboard").connect()
    try:
        client._conn.send("ping-twice")  # type: ignore[union-attr]
        client.wait_for(lambda f: f.data == "pinged", timeout=5, what="the pings")
        pings = client.pings
        assert len(pings) == 2 and client.opened_at is not None and client.opened_at <= pings[0] <= pings[1]
        assert [f.data for f in client.frames] == ["pinged"]  # a ping is no message
    finally:
        client.close()


def test_a_refused_handshake_is_recorded_not_raised() -> None:
    def refuse(connection: ServerConnection, request: object) -> object:
        return connection.respond(403, "no\n")

    with serve(_handler, "127.0.0.1", 0, process_request=refuse) as running:
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        client = WsClient(_url(running), name="the dashboard").connect()
        running.shutdown()
        thread.join(5)
    assert client.state is ClientState.REFUSED and client.refused_status == 403
    assert client.wait_closed(0.1) is None
    assert "refused with HTTP 403" in client.describe()


def test_pings_are_recorded_with_their_arrival_time(server: Server) -> None:
    client = WsClient(_url(server), name="dashboard").connect()
    try:
        before = time.monotonic()
        client._conn.send("ping-twice")  # type: ignore[union-attr]
        client.wait_for(lambda f: f.data == "pinged", timeout=5, what="the answer")
        assert len(client.pings) == 2 and all(before <= at <= time.monotonic() for at in client.pings)
    finally:
        client.close()


def test_a_client_with_a_history_keeps_only_its_latest_frames_and_counts_all(server: Server) -> None:
    client = WsClient(_url(server), name="dashboard", history=5).connect()
    try:
        client._conn.send("flood")  # type: ignore[union-attr]
        client.wait_for(lambda f: f.data == "done", timeout=10, what="the end of the flood")
        assert len(client.frames) == 5 and client.received == 2001
    finally:
        client.close()
