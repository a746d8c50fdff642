"""The simulator on a background loop: started and stopped from synchronous code, nothing left running."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from ssi_simulator.background import BackgroundSimulator


def test_it_serves_on_its_own_thread_and_joins_it_on_stop() -> None:
    with BackgroundSimulator() as sim:
        assert httpx.get(f"{sim.base_url}control/state").json()["connections"] == []
        assert [t for t in threading.enumerate() if t.name == "ssi-simulator-loop"]
    assert not [t for t in threading.enumerate() if t.name == "ssi-simulator-loop"]
    assert sim.leftover_tasks == 0


def test_a_task_the_simulator_leaves_running_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = BackgroundSimulator()
    stop = sim.server.stop

    async def stop_but_leave_a_task() -> None:
        await stop()
        asyncio.create_task(asyncio.sleep(3600), name="forgotten")  # left behind on purpose

    monkeypatch.setattr(sim.server, "stop", stop_but_leave_a_task)
    with sim:
        pass
    assert sim.leftover_tasks == 1
