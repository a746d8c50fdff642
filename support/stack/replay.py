"""A long market replay through the simulator, for the memory and endurance scenarios of the stack."""

from __future__ import annotations

from ssi_simulator.market_script import ReplayStats, build_session, replay_sync

BATCH = 500
FRAMES_PER_TRADE = 3  # a scripted trade comes with its quote and, now and then, foreign, index and bar frames


def replay_market(simulator_url: str, count: int, *, seed: int = 1) -> ReplayStats:
    """Post `count` frames of a scripted VN30 session (repeated as needed), as fast as the simulator takes them.

    Raises AssertionError when fewer than `count` frames were posted.
    """
    per_symbol = max(20, count // (FRAMES_PER_TRADE * 30) + 1)
    contents = build_session(seed, trades_per_symbol=per_symbol)
    while len(contents) < count:
        contents += contents[: count - len(contents)]
    stats = replay_sync(simulator_url, contents[:count], rate_per_s=0, batch=BATCH)
    if stats.frames != count:
        raise AssertionError(f"the replay posted {stats.frames} of {count} messages in {stats.seconds:.1f} s")
    return stats
