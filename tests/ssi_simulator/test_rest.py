"""SSI REST as the official client and raw HTTP callers see it."""

from __future__ import annotations

import base64
import json
import time
from types import SimpleNamespace

import httpx
import pytest
from sim_helpers import CONSUMER_ID, CONSUMER_SECRET, access_token
from ssi_fc_data import model
from ssi_fc_data.fc_md_client import MarketDataClient

from ssi_simulator.background import BackgroundSimulator
from ssi_simulator.vn30 import DEFAULT_VN30

TOKEN_PATH = "api/v2/Market/AccessToken"


def test_access_token_has_exactly_the_documented_keys(sim: BackgroundSimulator) -> None:
    body = httpx.post(sim.base_url + TOKEN_PATH, json={"consumerID": CONSUMER_ID, "consumerSecret": CONSUMER_SECRET}).json()
    assert set(body) == {"status", "message", "data"}
    assert (body["status"], body["message"], set(body["data"])) == (200, "Success", {"accessToken"})


@pytest.mark.parametrize("decode", [base64.b64decode, base64.urlsafe_b64decode])
def test_token_payload_carries_an_expiry_hours_ahead(sim: BackgroundSimulator, decode: object) -> None:
    segment = access_token(sim.base_url).split(".")[1]
    claims = json.loads(decode(segment + "=" * (-len(segment) % 4)))  # type: ignore[operator]
    assert 4 * 3600 < claims["exp"] - time.time() < 24 * 3600


def test_official_client_gets_a_token_and_the_vn30_basket(ssi_config: SimpleNamespace) -> None:
    client = MarketDataClient(ssi_config)
    body = client.index_components(ssi_config, model.index_components("VN30", 1, 50))
    assert (body["status"], body["totalRecord"]) == ("Success", 1)
    [vn30] = body["data"]
    assert (vn30["IndexCode"], vn30["Exchange"], vn30["TotalSymbolNo"]) == ("VN30", "HOSE", 30)
    assert [c["StockSymbol"] for c in vn30["IndexComponent"]] == list(DEFAULT_VN30)
    assert all(c["Isin"].startswith("VN") and len(c["Isin"]) == 12 for c in vn30["IndexComponent"])


def test_vn30_can_be_served_flat(ssi_config: SimpleNamespace, control: httpx.Client) -> None:
    assert control.put("/control/vn30", json={"symbols": ["VNM", "fpt"], "shape": "flat"}).status_code == 200
    body = MarketDataClient(ssi_config).index_components(ssi_config, model.index_components("VN30", 1, 50))
    assert [row["StockSymbol"] for row in body["data"]] == ["VNM", "FPT"]
    assert body["totalRecord"] == 2


def test_securities_serve_what_control_set(ssi_config: SimpleNamespace, control: httpx.Client) -> None:
    rows = [{"Symbol": "VNM", "FBuyVol": 1000, "FSellVol": 200, "FBuyVal": 8.05e7, "FSellVal": 1.61e7}]
    assert control.put("/control/securities", json={"data": rows}).json() == {"count": 1}
    body = MarketDataClient(ssi_config).securities(ssi_config, model.securities("HOSE", 1, 100))
    assert body["data"] == rows


def test_default_securities_list_the_basket_with_zero_foreign_flow(sim: BackgroundSimulator) -> None:
    headers = {"Authorization": f"Bearer {access_token(sim.base_url)}"}
    body = httpx.get(sim.base_url + "api/v2/Market/Securities?market=HOSE&pageIndex=1&pageSize=100", headers=headers).json()
    assert [r["Symbol"] for r in body["data"]] == list(DEFAULT_VN30)
    assert {r["FBuyVol"] for r in body["data"]} == {0}


def test_wrong_credentials_are_refused_as_ssi_refuses_them(ssi_config: SimpleNamespace, sim: BackgroundSimulator) -> None:
    body = httpx.post(sim.base_url + TOKEN_PATH, json={"consumerID": CONSUMER_ID, "consumerSecret": "nope"}).json()
    assert body["status"] == 400 and body["data"] is None and body["message"]
    ssi_config.consumerSecret = "nope"
    with pytest.raises(NameError, match="invalid"):  # what the official client raises on status 400
        MarketDataClient(ssi_config)


def test_changed_credentials_take_effect_at_once(control: httpx.Client, sim: BackgroundSimulator) -> None:
    control.put("/control/credentials", json={"consumer_id": "new-id", "consumer_secret": "new-secret"})
    old = httpx.post(sim.base_url + TOKEN_PATH, json={"consumerID": CONSUMER_ID, "consumerSecret": CONSUMER_SECRET})
    new = httpx.post(sim.base_url + TOKEN_PATH, json={"consumerID": "new-id", "consumerSecret": "new-secret"})
    assert (old.json()["status"], new.json()["status"]) == (400, 200)
    assert control.get("/control/state").json()["token_requests"] == 2


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz", "Bearer eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.x"],
)
def test_rest_needs_a_valid_bearer_token(sim: BackgroundSimulator, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for path in ("api/v2/Market/IndexComponents?indexCode=VN30", "api/v2/Market/Securities?market=HOSE"):
        response = httpx.get(sim.base_url + path, headers=headers)
        assert response.status_code == 401
        assert response.json()["status"] == 401


def test_a_token_from_another_simulator_is_refused(sim: BackgroundSimulator) -> None:
    with BackgroundSimulator() as other:
        foreign_token = access_token(other.base_url)
    response = httpx.get(
        sim.base_url + "api/v2/Market/IndexComponents?indexCode=VN30",
        headers={"Authorization": f"Bearer {foreign_token}"},
    )
    assert response.status_code == 401


def test_an_expired_token_is_refused() -> None:
    with BackgroundSimulator(token_lifetime_s=-1) as short:
        token = access_token(short.base_url)
        response = httpx.get(
            short.base_url + "api/v2/Market/Securities?market=HOSE", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 401 and "expired" in response.json()["message"]


def test_unknown_paths_get_a_json_404(sim: BackgroundSimulator) -> None:
    response = httpx.get(sim.base_url + "api/v2/Market/Nothing")
    assert response.status_code == 404
    assert response.json()["status"] == 404
