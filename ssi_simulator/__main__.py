"""``python -m ssi_simulator``: serve the simulator as its own process (live and docker targets)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .server import SimulatorServer


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ssi_simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--consumer-id", default="vn30-consumer")
    parser.add_argument("--consumer-secret", default="vn30-secret")
    parser.add_argument("--keepalive-s", type=float, default=5.0, help="seconds between keep-alive frames")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sim = SimulatorServer(
        args.host, args.port, args.consumer_id, args.consumer_secret,
        keepalive_s=args.keepalive_s, log_level=args.log_level,
    )
    await sim.start()
    try:
        print(sim.base_url, flush=True)
        await stop.wait()
    finally:
        await sim.stop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        asyncio.run(_serve(args))
    except OSError as exc:
        print(f"ssi_simulator: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
