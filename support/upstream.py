"""The exchange as the scenario sees it: content published through the simulator, as SSI would send it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from support import allure_report
from support.http_client import HttpClient

Frame = dict[str, Any] | str  # a content dict with RType, or a raw hub argument
BasketForm = Literal["nested", "flat"]  # the two forms of IndexComponents ([sim-components])


@dataclass(frozen=True)
class ExchangeSetup:
    """What the simulator serves from before the tracker starts: a tracker reads the VN30 basket once, at
    start-up ([subscribe]), so a scenario's basket must be in place first (targets apply it between the two).

        setup = ExchangeSetup(vn30=("ACB", "FPT", "VNM"), vn30_form="flat")
        setup.apply(simulator_url)
    """

    vn30: tuple[str, ...] | None = None     # None: the simulator's default basket
    vn30_form: BasketForm = "nested"
    clock_offset_s: float | None = None     # the exchange's clock ahead of real time (its tokens' times follow it)

    def apply(self, simulator_url: str) -> None:
        """Put the setup in place on the simulator at `simulator_url` (its control API)."""
        body: dict[str, Any] = {"shape": self.vn30_form}
        if self.vn30 is not None:
            body["symbols"] = list(self.vn30)
        http = HttpClient(simulator_url, label="simulator")
        try:
            http.ok_json(http.put("/control/vn30", body=body))
            if self.clock_offset_s is not None:
                http.ok_json(http.put("/control/clock", body={"offset_s": self.clock_offset_s}))
        finally:
            http.close()


class Feed(Protocol):
    published: list[Frame]

    def publish(self, items: Sequence[Frame], *, burst: bool = True) -> None: ...


class SimulatorFeed:
    """Publishes through the simulator's control API: the tracker receives real SignalR frames.

        feed = SimulatorFeed(HttpClient(simulator_url, label="simulator"))
        feed.publish([market.trade("VNM", 1000, 80.5)])
        feed.drop(refuse_for_s=3)
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.published: list[Frame] = []

    def publish(self, items: Sequence[Frame], *, burst: bool = True) -> None:
        """Send `items` in order: in one request when `burst`, else one request per item."""
        batches = [list(items)] if burst else [[item] for item in items]
        # one request per frame would be one attachment per frame: keep the last exchange; every frame
        # sent is in the scenario's "frames published" attachment anyway (World.close)
        with allure_report.only_last_attachments():
            for batch in batches:
                answer = self.http.ok_json(self.http.post("/control/frames", body={"frames": batch}))
                if not answer.get("delivered"):
                    raise AssertionError(f"the simulator delivered {_names(batch)} to no stream connection: the "
                                         f"tracker is not subscribed (simulator answered {answer})")
                self.published.extend(batch)

    def publish_signalr(self, frame: dict[str, Any], *, reported: Sequence[Frame] = ()) -> None:
        """Send one whole SignalR frame as it is; `reported` are the contents it carries, counted as published."""
        answer = self.http.ok_json(self.http.post("/control/signalr-frames", body={"frames": [frame]}))
        if not answer.get("delivered"):
            raise AssertionError(f"the simulator delivered the SignalR frame to no stream connection (it answered "
                                 f"{answer})")
        self.published.extend(reported)

    def drop(self, refuse_for_s: float = 0.0, *, abrupt: bool = False) -> None:
        """Close every stream connection; refuse new negotiations for `refuse_for_s` seconds."""
        self.http.ok_json(self.http.post("/control/drop", body={"refuse_for_s": refuse_for_s, "abrupt": abrupt}))

    def state(self) -> dict[str, Any]:
        """Connections with their channels, frames sent, token requests, negotiation times."""
        state: dict[str, Any] = self.http.get_json("/control/state")
        return state

    def set_securities(self, rows: Sequence[dict[str, Any]]) -> None:
        """The Securities snapshot (foreign baselines a tracker re-seeds from after a reconnect)."""
        self.http.ok_json(self.http.put("/control/securities", body={"data": list(rows)}))


def _names(batch: Sequence[Frame]) -> str:
    kinds = [item.get("RType", "?") if isinstance(item, dict) else "raw" for item in batch]
    return f"{len(batch)} frame(s) ({', '.join(kinds[:5])})"
