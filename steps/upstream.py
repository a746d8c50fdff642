"""Steps about the exchange feed itself: malformed frames, and the frames the tracker counts ([metrics])."""

from __future__ import annotations

from support import market
from support.bdd import then, when
from support.eventually import eventually
from support.world import World


@when("the exchange sends a frame with {defect}")
def _(world: World, defect: str) -> None:
    world.feed.publish([market.malformed(defect)])


@then("the tracker has counted {count:Int} frames read from the exchange")
def _(world: World, count: int) -> None:
    def check() -> None:
        seen = world.api.frames_received()
        assert seen == count, f"expected the tracker to have counted {count} frames read; its metrics say {seen:g}"
    eventually(check)


@then("the tracker has counted {count:Int} rejected frame")
def _(world: World, count: int) -> None:
    def check() -> None:
        seen = world.api.rejected_frames()
        assert seen == count, f"expected the tracker to have counted {count} rejected frame(s); its metrics say {seen:g}"
    eventually(check)
