"""The exchange's clock (its tokens follow it) and what the simulator records for a whole day ([soak])."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from sim_helpers import RawStream, access_token, eventually

from ssi_simulator.tokens import DEFAULT_LIFETIME_S, expiry_of

OpenRaw = Callable[..., RawStream]


def _state(control: httpx.Client) -> dict[str, object]:
    body: dict[str, object] = control.get("/control/state").json()
    return body


def _at(text: object) -> float:
    assert isinstance(text, str)
    return datetime.fromisoformat(text).timestamp()


def test_tokens_are_recorded_with_their_expiry_on_the_exchange_clock(control: httpx.Client) -> None:
    before = time.time()
    token = access_token(str(control.base_url))
    [record] = _state(control)["tokens_issued"]  # type: ignore[misc]
    issued, expires = _at(record["issued_at"]), _at(record["expires_at"])
    assert before - 0.01 <= issued <= time.time() + 0.01
    assert expires == expiry_of(token) and expires - issued == pytest.approx(DEFAULT_LIFETIME_S, abs=1.0)


def test_a_moved_clock_dates_new_tokens_and_expires_old_ones(control: httpx.Client) -> None:
    base = str(control.base_url)
    old = access_token(base)
    answer = control.put("/control/clock", json={"offset_s": DEFAULT_LIFETIME_S + 60}).json()
    assert answer["offset_s"] == DEFAULT_LIFETIME_S + 60
    assert _at(answer["now"]) == pytest.approx(time.time() + DEFAULT_LIFETIME_S + 60, abs=2.0)
    refused = control.get("/api/v2/Market/Securities", headers={"Authorization": f"Bearer {old}"})
    assert refused.status_code == 401 and _state(control)["bearer_refusals"] == ["token expired"]
    fresh = access_token(base)
    assert control.get("/api/v2/Market/Securities", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    second = _state(control)["tokens_issued"][1]  # type: ignore[index]
    assert _at(second["issued_at"]) == pytest.approx(_at(answer["now"]), abs=2.0)


def test_the_clock_is_set_to_an_iso_time_and_reset_to_real_time(control: httpx.Client) -> None:
    answer = control.put("/control/clock", json={"set": "2024-12-02T09:00:00+07:00"}).json()
    assert _at(answer["now"]) == pytest.approx(datetime(2024, 12, 2, 2, tzinfo=UTC).timestamp(), abs=2.0)
    assert _at(control.get("/control/clock").json()["now"]) == pytest.approx(_at(answer["now"]), abs=2.0)
    control.post("/control/reset")
    assert control.get("/control/clock").json()["offset_s"] == 0.0


@pytest.mark.parametrize(("body", "reason"), [
    ({}, "give 'set'"),
    ({"set": "2024-12-02T09:00:00+07:00", "offset_s": 1}, "give 'set'"),
    ({"set": "2024-12-02T09:00:00"}, "UTC offset"),
    ({"set": "soon"}, "not an ISO time"),
    ({"offset_s": "1"}, "number of seconds"),
])
def test_a_bad_clock_move_is_a_400(control: httpx.Client, body: object, reason: str) -> None:
    response = control.put("/control/clock", json=body)
    assert response.status_code == 400 and reason in response.json()["error"]


def test_connections_are_counted_as_opened_and_at_once(raw_stream: OpenRaw, control: httpx.Client) -> None:
    first = raw_stream("X:ALL")
    raw_stream("R:ALL")
    first.close()
    eventually(lambda: len(_state(control)["connections"]) == 1, what="the first connection to end")  # type: ignore[arg-type]
    raw_stream("MI:ALL")
    state = _state(control)
    assert (state["connections_opened"], state["most_connections_at_once"]) == (3, 2)
    control.post("/control/reset")
    after = _state(control)
    assert (after["connections_opened"], after["most_connections_at_once"]) == (0, 2)  # the open ones stay
