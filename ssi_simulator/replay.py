"""``python -m ssi_simulator.replay``: feed a running simulator a scripted session, for load scripts."""

from __future__ import annotations

import argparse
import json
import sys

import httpx

from .market_script import build_session
from .replayer import replay_sync
from .vn30 import DEFAULT_VN30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ssi_simulator.replay", description=__doc__)
    parser.add_argument("--url", required=True, help="simulator base URL, e.g. http://127.0.0.1:41234/")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1000.0, help="frames per second (0 = unpaced)")
    parser.add_argument("--count", type=int, default=10_000, help="frames to post at most")
    parser.add_argument("--batch", type=int, default=50, help="frames per POST")
    parser.add_argument("--max-seconds", type=float, default=300.0)
    args = parser.parse_args(argv)
    per_symbol = max(20, args.count // (3 * len(DEFAULT_VN30)) + 1)  # about 3 frames per trade
    contents = build_session(args.seed, trades_per_symbol=per_symbol)
    while len(contents) < args.count:  # a longer run replays the day again
        contents += contents[: args.count - len(contents)]
    try:
        stats = replay_sync(
            args.url, contents, args.rate, batch=args.batch, max_frames=args.count, max_seconds=args.max_seconds
        )
    except httpx.HTTPError as exc:
        print(f"replay failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"frames": stats.frames, "posts": stats.posts, "deliveries": stats.deliveries,
                      "seconds": round(stats.seconds, 3), "rate": round(stats.rate, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
