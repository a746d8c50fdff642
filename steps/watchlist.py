"""Steps about what the tracker follows ([watchlist]): the VN30 basket the exchange serves, the desk's extra
symbols, and the VN30 list an API caller reads ([rest-components])."""

from __future__ import annotations

from support.bdd import given, then
from support.tracker_api import answered_body
from support.upstream import ExchangeSetup
from support.world import World


@given("the exchange serves the VN30 basket {symbols:Symbols} in the {form:BasketForm} form")
def _(world: World, symbols: list[str], form: str) -> None:
    world.set_exchange(ExchangeSetup(vn30=tuple(symbols), vn30_form="flat" if form == "flat" else "nested"))


@given("the desk adds {symbols:Symbols} to the watchlist")
def _(world: World, symbols: list[str]) -> None:
    world.configure(EXTRA_SYMBOLS=",".join(symbols))


@then("the caller receives the VN30 components {symbols:Symbols}")
def _(world: World, symbols: list[str]) -> None:
    body = answered_body(world.last_response, asked="for the VN30 components",
                         expected=f"the VN30 components {', '.join(symbols)}")
    seen = body.get("symbols") if isinstance(body, dict) else None
    assert isinstance(seen, list) and sorted(map(str, seen)) == sorted(symbols), (
        f"expected the VN30 components to be {', '.join(sorted(symbols))}; the tracker lists {seen!r}")
