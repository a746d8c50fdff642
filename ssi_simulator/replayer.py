"""Posts content dicts to a simulator's ``/control/frames`` at a chosen rate, bounded in count and time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import httpx

from .messages import Content


@dataclass(frozen=True, slots=True)
class ReplayStats:
    frames: int  # content dicts posted
    posts: int  # HTTP requests made
    deliveries: int  # frames x stream connections reached, summed over the posts
    seconds: float

    @property
    def rate(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


def _control_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/control/frames"


async def replay(
    base_url: str, contents: Sequence[Content], rate_per_s: float, *, batch: int = 50,
    max_frames: int | None = None, max_seconds: float = 300.0, client: httpx.AsyncClient | None = None,
) -> ReplayStats:
    """Post ``contents`` in batches paced to ``rate_per_s`` frames/s (<= 0: as fast as possible).

    Stops after ``max_frames`` frames or ``max_seconds``, whichever comes first; raises
    httpx.HTTPStatusError when the simulator refuses a batch.
    """
    if batch < 1:
        raise ValueError(f"batch must be >= 1, not {batch}")
    todo = list(contents[: max_frames if max_frames is not None else len(contents)])
    owned = client is None
    http = client or httpx.AsyncClient(timeout=30.0)
    url = _control_url(base_url)
    started = time.perf_counter()
    sent = posts = deliveries = 0
    try:
        while sent < len(todo) and time.perf_counter() - started < max_seconds:
            if rate_per_s > 0:  # pace by schedule, not by sleeping a fixed gap, so errors don't drift
                delay = started + sent / rate_per_s - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            chunk = todo[sent : sent + batch]
            response = await http.post(url, json={"frames": chunk})
            response.raise_for_status()
            deliveries += int(response.json().get("deliveries", 0))
            sent += len(chunk)
            posts += 1
    finally:
        if owned:
            await http.aclose()
    return ReplayStats(sent, posts, deliveries, time.perf_counter() - started)


def replay_sync(
    base_url: str, contents: Sequence[Content], rate_per_s: float, *, batch: int = 50,
    max_frames: int | None = None, max_seconds: float = 300.0,
) -> ReplayStats:
    """``replay`` for callers without an event loop (steps, load scripts)."""
    return asyncio.run(
        replay(base_url, contents, rate_per_s, batch=batch, max_frames=max_frames, max_seconds=max_seconds)
    )


@dataclass(frozen=True, slots=True)
class Step:
    frames: list[Content]
    delivered: int  # connections reached by this batch


class ReplayStepper:
    """Replays a script one batch per ``step()`` (or per iteration), for scenarios that check
    the tracker between ticks::

        with ReplayStepper(sim_url, build_session(7)) as steps:
            first = steps.step()          # posts contents[0]
    """

    def __init__(self, base_url: str, contents: Sequence[Content], *, batch: int = 1) -> None:
        if batch < 1:
            raise ValueError(f"batch must be >= 1, not {batch}")
        self._url = _control_url(base_url)
        self._contents = list(contents)
        self._batch = batch
        self._position = 0
        self._http = httpx.Client(timeout=30.0)

    @property
    def remaining(self) -> int:
        return len(self._contents) - self._position

    def step(self) -> Step:
        """Post the next batch; raise StopIteration when the script is exhausted."""
        if self.remaining <= 0:
            raise StopIteration
        chunk = self._contents[self._position : self._position + self._batch]
        response = self._http.post(self._url, json={"frames": chunk})
        response.raise_for_status()
        self._position += len(chunk)
        return Step(chunk, int(response.json()["delivered"]))

    def __iter__(self) -> Iterator[Step]:
        while self.remaining > 0:
            yield self.step()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
