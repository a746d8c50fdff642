"""Steps of an API caller: queries and how the tracker answers them."""

from __future__ import annotations

from support.bdd import then, when
from support.world import World


@when("an API caller asks for {resource:Resource}")
def _(world: World, resource: str) -> None:
    world.last_response = world.api.ask(resource, {})


@when("an API caller asks for {resource} with {parameter:Word} set to {value}")
def _(world: World, resource: str, parameter: str, value: str) -> None:
    world.last_response = world.api.ask(resource, {parameter: value})


@then("the caller is told the request is invalid")
def _(world: World) -> None:
    response = world.last_response
    assert response is not None, "no API caller has asked anything in this scenario"
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
    assert response.status_code == 422 and isinstance(body, dict) and body.get("detail"), (
        f"expected 422 with a reason (`detail`) for {response.request.url.query.decode()}; "
        f"the tracker answered {response.status_code}: {response.text[:300]}")
