"""Steps of an API caller: queries and how the tracker answers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from support import shapes
from support.bdd import then, when
from support.tracker_api import answered_body
from support.world import World


@dataclass(frozen=True)
class _Asked:
    """What the API caller asked for last, by its name in support.tracker_api.RESOURCES."""

    resource: str


@when("an API caller asks for {resource:Resource}")
def _(world: World, resource: str) -> None:
    world.last_response = world.api.ask(resource, {})
    world.remember(_Asked(resource))


@then("the answer has the contract's shape")
@then("the caller is answered")
def _(world: World) -> None:
    asked = world.recall(_Asked, "no API caller has asked for anything by name in this scenario").resource
    response = world.last_response
    assert response.status_code == 200, (f"expected {asked} in the contract's shape; the tracker answered "
                                         f"{response.status_code}: {response.text[:300]}")
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{asked} is not JSON: {response.text[:300]}") from None
    shapes.check(asked, body)


@when("an API caller asks for {resource} with {parameter:Word} set to {value}")
def _(world: World, resource: str, parameter: str, value: str) -> None:
    world.last_response = world.api.ask(resource, {parameter: value})
    world.remember(_Asked(resource))


@then("the caller is refused with a reason")
def _(world: World) -> None:
    response = world.last_response
    assert response is not None, "no API caller has asked anything in this scenario"
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
    assert response.status_code == 422 and isinstance(body, dict) and body.get("detail"), (
        f"expected 422 with a reason (`detail`) for {response.request.url.query.decode()}; "
        f"the tracker answered {response.status_code}: {response.text[:300]}")


@then("the caller receives a market snapshot holding:")
def _(world: World, table: list[dict[str, str]]) -> None:
    response = world.last_response
    snapshot = answered_body(response, asked="for the market snapshot", expected="a market snapshot")
    assert isinstance(snapshot, dict), f"expected the market snapshot to be a JSON object; it is {response.text[:300]}"
    wanted = [f"the {row['board']} of {row['entry']}" for row in table]
    missing = [what for what, row in zip(wanted, table, strict=True) if not _HOLDS[row["board"]](snapshot, row["entry"])]
    assert not missing, (f"expected one market snapshot to hold {', '.join(wanted)}; it lacks {', '.join(missing)}: "
                         f"{response.text[:600]}")


def _keyed(section: Any, key: str, field: str) -> bool:
    """The section maps `key` to an entry that names it in `field` (SessionStats' symbol, Index's index_id)."""
    entry = section.get(key) if isinstance(section, dict) else None
    return isinstance(entry, dict) and entry.get(field, key) == key


def _ranked(summary: Any, symbol: str) -> bool:
    ranked = [*summary.get("top_buy", []), *summary.get("top_sell", [])] if isinstance(summary, dict) else []
    return any(isinstance(entry, dict) and entry.get("symbol") == symbol for entry in ranked)


# [rest-snapshot]: each board of the snapshot, and how it holds an entry
_HOLDS: dict[str, Callable[[dict[str, Any], str], bool]] = {
    "session volume": lambda snapshot, symbol: _keyed(snapshot.get("quotes"), symbol, "symbol"),
    "price board": lambda snapshot, symbol: _keyed(snapshot.get("prices"), symbol, "symbol"),
    "index board": lambda snapshot, index: _keyed(snapshot.get("indices"), index, "index_id"),
    "foreign flow": lambda snapshot, symbol: _ranked(snapshot.get("foreign"), symbol),
    "derivatives board": lambda snapshot, symbol: (isinstance(snapshot.get("derivatives"), dict)
                                                   and snapshot["derivatives"].get("symbol") == symbol),
}
