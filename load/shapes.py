"""Load shapes; a locustfile that imports one runs it automatically (so only scenario files do)."""

from __future__ import annotations

from dataclasses import dataclass

from locust import LoadTestShape


@dataclass(frozen=True, slots=True)
class Stage:
    until_s: float      # end of the stage, seconds since the start
    users: int          # target user count during the stage
    spawn_rate: float   # users started (or stopped) per second on the way to the target


def stage_at(stages: list[Stage], run_time: float) -> tuple[int, float] | None:
    """(users, spawn rate) of the stage `run_time` falls in; None after the last one (the run stops)."""
    for stage in stages:
        if run_time < stage.until_s:
            return stage.users, stage.spawn_rate
    return None


class MarketOpenShape(LoadTestShape):
    """Market open: 0 to `--open-users` in `--open-ramp` s, hold `--open-hold` s, ramp down in `--open-down` s.

    The user classes of the locustfile share the users by weight (WebSocket and REST mixed).
    """

    def tick(self) -> tuple[int, float] | None:
        return stage_at(self.stages(), self.get_run_time())

    def stages(self) -> list[Stage]:
        o = self.runner.environment.parsed_options if self.runner else None
        users = int(getattr(o, "open_users", 800))
        ramp = float(getattr(o, "open_ramp", 30.0))
        hold = float(getattr(o, "open_hold", 60.0))
        down = float(getattr(o, "open_down", 15.0))
        return [
            Stage(ramp, users, max(1.0, users / ramp)),
            Stage(ramp + hold, users, max(1.0, users / ramp)),
            Stage(ramp + hold + down, 0, max(1.0, users / down)),
        ]
