"""Profiles the tracker in-process (CPU, memory, event-loop lag) into performance_results.json.

    .venv/bin/python bench/profile_tracker.py [--messages 50000] [--rate 5000] [--seconds 10]

- throughput and memory growth: bench/core_throughput.py (`measure_throughput`, `measure_memory`);
- CPU: cProfile over the processing core (MarketProcessor.process_payload), top functions;
- memory: tracemalloc over the same messages, growth and top allocating lines;
- event loop: the full tracker app (uvicorn on a loopback port, one WebSocket client per
  channel) while a steady `--rate` msg/s replay goes through `service.ingest_payload`, one
  message per loop turn as the SignalR consumer delivers them. Lag = how long a ready
  callback waits for the loop (a `call_soon` probe every 5 ms), which is what a message
  waiting to be processed sees; how late the 5 ms sleep itself wakes is reported too, but
  it is dominated by epoll's 1 ms timeout granularity, not by the tracker. Task count is
  sampled with each probe.
Then `bench/report.py` turns the JSON into performance_report.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import json
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import core_throughput

from tracker.core.clock import Clock
from tracker.core.messages import MalformedMessage
from tracker.core.processor import MarketProcessor

LAG_PROBE_S = 0.005
THRESHOLDS = {  # docs/CONTRACT.md: [perf-throughput], [perf-memory], [perf-loop-lag]
    "throughput_msg_per_s": (">=", 50_000.0, "msg/s", "processing throughput, one core"),
    "memory_growth_mb": ("<", 50.0, "MB", "memory growth over 50,000 messages"),
    "loop_lag_p99_ms": ("<", 1.0, "ms", "event-loop lag p99 at 5,000 msg/s"),
    "loop_lag_max_ms": ("<", 5.0, "ms", "event-loop lag max at 5,000 msg/s (informative)"),
}


def machine() -> dict[str, Any]:
    """CPU model, cores, memory and Python of this machine, for the report."""
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_gb = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    return {
        "cpu_model": model, "cores": os.cpu_count(), "memory_gb": round(mem_gb, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
    }


def _run_core(payloads: list[str]) -> MarketProcessor:
    proc = MarketProcessor(Clock(), vn30=core_throughput.VN30)
    process = proc.process_payload
    for p in payloads:
        with contextlib.suppress(MalformedMessage):
            process(p)
    return proc


def cpu_profile(n: int, top: int = 15) -> dict[str, Any]:
    """cProfile of n messages through the core; top functions by own time."""
    payloads = core_throughput.build_stream(n, seed=32)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    _run_core(payloads)
    profiler.disable()
    elapsed = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short(filename)}:{line}({func})", "calls": ncalls,
                     "tottime_s": round(tottime, 4), "cumtime_s": round(cumtime, 4),
                     "per_msg_us": round(tottime / n * 1e6, 3)})
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return {"messages": n, "profiled_seconds": round(elapsed, 3), "top": rows[:top]}


def memory_profile(n: int, top: int = 10) -> dict[str, Any]:
    """tracemalloc over n messages: net growth and the lines that hold the most new memory."""
    payloads = core_throughput.build_stream(n, seed=31)
    gc.collect()
    tracemalloc.start(5)
    before = tracemalloc.take_snapshot()
    proc = _run_core(payloads)
    gc.collect()
    after = tracemalloc.take_snapshot()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    diff = after.compare_to(before, "lineno")
    grown = sum(d.size_diff for d in diff)
    rows = [{"where": f"{_short(d.traceback[0].filename)}:{d.traceback[0].lineno}", "size_kb": round(d.size_diff / 1024, 1),
             "blocks": d.count_diff} for d in diff[:top]]
    del proc
    return {"messages": n, "growth_mb": round(grown / 1e6, 2), "peak_traced_mb": round(peak / 1e6, 2), "top": rows}


def _short(filename: str) -> str:
    with contextlib.suppress(ValueError):
        return str(Path(filename).resolve().relative_to(ROOT))
    return Path(filename).name if "site-packages" in filename or "python3" in filename else filename


async def _loop_lag(rate: int, seconds: float) -> dict[str, Any]:
    import websockets

    from tracker.main import TrackerServer, create_app, uvicorn_config
    from tracker.settings import Settings
    from tracker.stream import UpstreamState

    class _QuietUpstream:
        """The upstream consumer stand-in: connected, VN30 loaded, frames come from the replay."""

        def __init__(self, service: Any) -> None:
            self.state = UpstreamState.CONNECTED
            self._service = service

        async def run(self) -> None:
            self._service.load_vn30(list(core_throughput.VN30))
            await asyncio.Event().wait()

    settings = Settings(consumer_id="bench", consumer_secret="bench", base_url="http://127.0.0.1:9/",
                        stream_url="http://127.0.0.1:9/", log_level="WARNING", ws_max_connections_per_ip=100)
    app = create_app(settings, consumer_factory=_QuietUpstream)
    service = app.state.service
    server = TrackerServer(uvicorn_config(app, host="127.0.0.1", port=0, log_level="warning"))
    serve_task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    received = {"n": 0}

    async def client(channel: str) -> None:
        async with websockets.connect(f"ws://127.0.0.1:{server.port}/ws/{channel}") as ws:
            async for _ in ws:
                received["n"] += 1

    clients = [asyncio.create_task(client(c)) for c in ("market", "foreign", "index", "alerts")]
    payloads = core_throughput.build_stream(int(rate * seconds), seed=33)
    lags: list[float] = []
    tasks: list[int] = []
    done = asyncio.Event()

    overshoot: list[float] = []

    def mark(queued: float) -> None:
        lags.append((time.perf_counter() - queued) * 1000)

    async def probe() -> None:
        loop = asyncio.get_running_loop()
        while not done.is_set():
            t0 = time.perf_counter()
            await asyncio.sleep(LAG_PROBE_S)
            overshoot.append(max(0.0, time.perf_counter() - t0 - LAG_PROBE_S) * 1000)
            loop.call_soon(mark, time.perf_counter())
            tasks.append(len(asyncio.all_tasks()))

    async def replay() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        interval = 1.0 / rate
        for i, payload in enumerate(payloads):
            service.ingest_payload(payload)
            due = start + (i + 1) * interval
            delay = due - loop.time()
            await asyncio.sleep(max(0, delay))
        return loop.time() - start

    await asyncio.sleep(0.5)
    probe_task = asyncio.create_task(probe())
    elapsed = await replay()
    done.set()
    await probe_task
    for t in clients:
        t.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    server.should_exit = True
    await serve_task
    lags.sort()
    overshoot.sort()
    return {
        "rate_target": rate, "messages": len(payloads), "seconds": round(elapsed, 2),
        "rate_achieved": round(len(payloads) / elapsed, 1), "ws_messages_received": received["n"],
        "lag_samples": len(lags), "lag_p50_ms": round(_pct(lags, 0.5), 3), "lag_p99_ms": round(_pct(lags, 0.99), 3),
        "lag_max_ms": round(lags[-1] if lags else 0.0, 3), "lag_mean_ms": round(statistics.fmean(lags) if lags else 0, 3),
        "timer_overshoot_p50_ms": round(_pct(overshoot, 0.5), 3),
        "timer_overshoot_p99_ms": round(_pct(overshoot, 0.99), 3),
        "tasks_min": min(tasks, default=0), "tasks_max": max(tasks, default=0),
        "tasks_first": tasks[0] if tasks else 0, "tasks_last": tasks[-1] if tasks else 0,
    }


def _pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000, help="messages for CPU and memory profiles")
    parser.add_argument("--throughput-messages", type=int, default=200_000)
    parser.add_argument("--rate", type=int, default=5_000, help="replay rate for the event-loop lag")
    parser.add_argument("--seconds", type=float, default=10.0, help="replay duration for the event-loop lag")
    parser.add_argument("--out", type=Path, default=ROOT / "performance_results.json")
    args = parser.parse_args(argv)

    started = time.time()
    print("throughput ...", flush=True)
    t = core_throughput.measure_throughput(args.throughput_messages)
    print(f"  {t.per_second:,.0f} msg/s", flush=True)
    print("memory growth ...", flush=True)
    growth = core_throughput.measure_memory(args.messages)
    print(f"  {growth:.1f} MB over {args.messages:,} messages", flush=True)
    print("CPU profile ...", flush=True)
    cpu = cpu_profile(args.messages)
    print("memory profile ...", flush=True)
    mem = memory_profile(args.messages)
    print(f"event-loop lag at {args.rate:,} msg/s for {args.seconds:g} s ...", flush=True)
    lag = asyncio.run(_loop_lag(args.rate, args.seconds))
    print(f"  p99 {lag['lag_p99_ms']} ms, max {lag['lag_max_ms']} ms, tasks {lag['tasks_min']}..{lag['tasks_max']}", flush=True)

    values = {"throughput_msg_per_s": round(t.per_second, 1), "memory_growth_mb": round(growth, 2),
              "loop_lag_p99_ms": lag["lag_p99_ms"], "loop_lag_max_ms": lag["lag_max_ms"]}
    results = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "duration_s": round(time.time() - started, 1),
        "machine": machine(),
        "metrics": {key: {"value": values[key], "op": op, "threshold": limit, "unit": unit, "label": label}
                    for key, (op, limit, unit, label) in THRESHOLDS.items()},
        "throughput": {"messages": t.messages, "seconds": round(t.seconds, 3), "alerts": t.alerts},
        "cpu_profile": cpu,
        "memory_profile": mem,
        "event_loop": lag,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
