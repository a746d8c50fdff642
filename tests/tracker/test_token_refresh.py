"""The access token is replaced once less than an hour is left by the tracker's clock ([soak])."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from test_stream import RecordingSink
from tracker_fakes import TOKEN, FakeSsi, make_settings

from tracker.ssi_client import SsiRestClient, token_expiry
from tracker.stream import UpstreamConsumer, UpstreamState

pytestmark = pytest.mark.timeout(10)
TOKEN_EXPIRES = datetime(2100, 1, 1, tzinfo=UTC)  # the fake SSI's token: exp 4102444800


def _jwt(claims: object, *, urlsafe: bool = False) -> str:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return f"e30.{encode(json.dumps(claims).encode()).decode().rstrip('=')}.c2ln"


def test_the_expiry_is_read_from_the_token() -> None:
    assert token_expiry(TOKEN) == TOKEN_EXPIRES
    assert token_expiry(_jwt({"exp": 1_733_100_000, "pad": "??>>"}, urlsafe=True)) == datetime.fromtimestamp(
        1_733_100_000, UTC)
    for unreadable in ("no-dots", "a.!!!.c", _jwt({"exp": "soon"}), _jwt([1]), _jwt({"exp": True}), _jwt({"exp": 1e300})):
        assert token_expiry(unreadable) is None, unreadable


@pytest.mark.parametrize(("left_s", "fresh"), [(3600.0, True), (3599.0, False), (-1.0, False), (8 * 3600.0, True)])
def test_a_token_with_less_than_an_hour_left_is_not_fresh(left_s: float, fresh: bool) -> None:
    rest = SsiRestClient("http://127.0.0.1:9/", "id", "secret", clock=lambda: TOKEN_EXPIRES - timedelta(seconds=left_s))
    rest.token, rest.token_expires_at = TOKEN, token_expiry(TOKEN)
    assert rest.token_fresh() is fresh


def test_a_token_without_expiry_never_ages_and_no_token_is_never_fresh() -> None:
    rest = SsiRestClient("http://127.0.0.1:9/", "id", "secret")
    assert not rest.token_fresh()
    rest.token = "opaque"
    assert rest.token_fresh()


@pytest.mark.asyncio
async def test_a_connected_tracker_refreshes_its_token_when_its_clock_nears_the_expiry() -> None:
    now = [datetime.now(UTC)]
    sink = RecordingSink()
    async with FakeSsi() as ssi:
        consumer = UpstreamConsumer(make_settings(base_url=ssi.url, stream_url=ssi.url), sink,
                                    clock=lambda: now[0], token_check_s=0.01)
        task = asyncio.create_task(consumer.run())
        try:
            await sink.wait_for(lambda: "connected" in sink.kinds())
            await asyncio.sleep(0.1)  # ten checks with hours left: no request
            assert ssi.token_requests == 1
            now[0] = TOKEN_EXPIRES - timedelta(minutes=59)
            async with asyncio.timeout(5):
                while ssi.token_requests < 2:
                    await asyncio.sleep(0.01)
            assert consumer.state is UpstreamState.CONNECTED and len(ssi.negotiations) == 1  # same stream
            await asyncio.sleep(0.1)  # the new token is as old by this clock: no retry before TOKEN_RETRY_S
            assert ssi.token_requests == 2
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
