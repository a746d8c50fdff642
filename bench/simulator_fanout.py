"""How many frames per second one simulator process delivers to 1 and to 10 stream connections.

Usage: .venv/bin/python bench/simulator_fanout.py [--count 20000] [--batch 200] [--max-seconds 60]

The simulator runs as its own process (``python -m ssi_simulator``); raw SignalR clients
(httpx + websockets) on 127.0.0.1 subscribe to ``X:ALL``; frames are posted through
``/control/frames`` while the clients drain them. A figure is frames per second per
connection, from the first POST until every client holds every frame.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ssi_simulator import frames

HUB_DATA = json.dumps([{"name": "FcMarketDataV2Hub"}])


async def _subscriber(http: httpx.AsyncClient, base: str, token: str) -> websockets.ClientConnection:
    neg = (await http.post("v2.0/signalr/negotiate", headers={"Authorization": f"Bearer {token}"})).json()
    url = httpx.URL(base.replace("http", "ws", 1) + "v2.0/signalr/connect").copy_merge_params(
        {"transport": "webSockets", "connectionToken": neg["ConnectionToken"], "connectionData": HUB_DATA}
    )
    ws = await websockets.connect(str(url), max_size=None)
    await ws.recv()  # init frame
    await ws.send(json.dumps({"H": "FcMarketDataV2Hub", "M": "SwitchChannels", "A": ["X:ALL"], "I": 0}))
    while '"I"' not in str(await ws.recv()):
        pass
    return ws


async def _drain(ws: websockets.ClientConnection, count: int) -> None:
    got = 0
    while got < count:
        if '"M":[{' in str(await ws.recv()):
            got += 1


async def run(base: str, connections: int, count: int, batch: int, max_seconds: float) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        body = {"consumerID": "vn30-consumer", "consumerSecret": "vn30-secret"}
        token = (await http.post("api/v2/Market/AccessToken", json=body)).json()["data"]["accessToken"]
        sockets = [await _subscriber(http, base, token) for _ in range(connections)]
        contents = [frames.trade("VNM", 80.5, i + 1, time="10:00:00", trading_date="02/12/2024") for i in range(batch)]
        started = time.perf_counter()
        drains = [asyncio.create_task(_drain(ws, count)) for ws in sockets]

        async def post() -> None:
            for _ in range(count // batch):
                (await http.post("control/frames", json={"frames": contents})).raise_for_status()

        try:
            await asyncio.wait_for(asyncio.gather(post(), *drains), max_seconds)
        finally:
            elapsed = time.perf_counter() - started
            for task in drains:
                task.cancel()
            for ws in sockets:
                await ws.close()
            await http.post("control/drop", json={"refuse_for_s": 0})
    return (count // batch * batch) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()
    proc = subprocess.Popen([sys.executable, "-m", "ssi_simulator", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        for n in (1, 10):
            rate = asyncio.run(run(base, n, args.count, args.batch, args.max_seconds))
            print(f"{n:>2} connection(s): {rate:>9,.0f} frames/s per connection, "
                  f"{rate * n:>9,.0f} deliveries/s in total ({args.count} frames, batch {args.batch})")
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
