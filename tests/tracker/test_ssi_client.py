"""The SSI client speaks FastConnect REST and SignalR 1.5 the way the official client does."""

from __future__ import annotations

import asyncio
import json

import pytest
from tracker_fakes import TOKEN, FakeSsi

from tracker.ssi_client import (
    SignalRStream,
    SsiAuthError,
    SsiRestClient,
    StreamState,
    parse_frame,
)

pytestmark = pytest.mark.timeout(10)


@pytest.mark.asyncio
async def test_authenticate_and_index_components_nested_and_flat() -> None:
    for shape in ("nested", "flat"):
        async with FakeSsi(vn30=("ACB", "VNM", "FPT"), shape=shape) as ssi:
            rest = SsiRestClient(ssi.url, "id", "secret")
            try:
                assert await rest.authenticate() == TOKEN
                assert await rest.index_components() == ["ACB", "VNM", "FPT"]
                assert [row["Symbol"] for row in await rest.securities()] == ["ACB"]
            finally:
                await rest.aclose()


@pytest.mark.asyncio
async def test_wrong_credentials_raise_auth_error_with_reason() -> None:
    async with FakeSsi() as ssi:
        rest = SsiRestClient(ssi.url, "id", "wrong")
        try:
            with pytest.raises(SsiAuthError, match="Invalid consumer"):
                await rest.authenticate()
        finally:
            await rest.aclose()


@pytest.mark.asyncio
async def test_stream_handshake_matches_the_official_client() -> None:
    async with FakeSsi() as ssi:
        stream = SignalRStream(ssi.url, TOKEN, "X:ALL,R:ALL,MI:ALL,B:ALL")
        await stream.open()
        try:
            assert stream.state is StreamState.STARTED
            await ssi.wait_connections(1)
            _, method, query = ssi.negotiations[0]
            assert method == "POST"
            assert query == {"connectionData": '[{"name": "FcMarketDataV2Hub"}]', "clientProtocol": "1.5"}
            assert ssi.connects[0] == {"transport": "webSockets", "connectionToken": "tok+/=",
                                       "connectionData": '[{"name": "FcMarketDataV2Hub"}]', "clientProtocol": "1.5"}
            assert ssi.starts == 1
            assert ssi.invocations == [{"H": "FcMarketDataV2Hub", "M": "SwitchChannels",
                                        "A": ["X:ALL,R:ALL,MI:ALL,B:ALL"], "I": 0}]
            await ssi.send_raw("{}")
            await ssi.broadcast({"RType": "Trade", "Symbol": "ACB", "LastVol": 100})
            payloads = stream.payloads()
            payload = await asyncio.wait_for(anext(payloads), 2)
            assert json.loads(json.loads(payload)["Content"])["Symbol"] == "ACB"
            await ssi.drop()
            assert [p async for p in payloads] == []
            assert stream.state is StreamState.CLOSED
        finally:
            await stream.close()


@pytest.mark.asyncio
async def test_negotiate_without_a_valid_token_is_an_auth_error() -> None:
    async with FakeSsi() as ssi:
        stream = SignalRStream(ssi.url, "not-the-token", "X:ALL")
        with pytest.raises(SsiAuthError):
            await stream.open()
        assert stream.state is StreamState.CLOSED


def test_parse_frame_keeps_only_broadcast_arguments() -> None:
    broadcast = {"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": ["p1"]}
    assert parse_frame("{}") == []
    assert parse_frame('{"I":"0"}') == []
    assert parse_frame('{"C":"s-0","S":1,"M":[]}') == []
    assert parse_frame("not json") == []
    assert parse_frame(json.dumps({"C": "1", "M": [broadcast, {**broadcast, "A": ["p2"]}]})) == ["p1", "p2"]
    assert parse_frame(json.dumps({"C": "1", "M": [{**broadcast, "H": "OtherHub"}]})) == []
    assert parse_frame(json.dumps({"C": "1", "M": [{**broadcast, "A": [{"DataType": "X"}]}]})) == ['{"DataType": "X"}']
    # a message that is not an object goes on as JSON, for the processor to drop and count ([malformed-input])
    assert parse_frame(json.dumps({"C": "1", "M": [broadcast, 42, "x"]})) == ["p1", "42", '"x"']
