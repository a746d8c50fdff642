"""``python -m ssi_simulator`` and ``python -m ssi_simulator.replay`` as load scripts run them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli() -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ssi_simulator", "--host", "127.0.0.1", "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_its_url_and_exits_cleanly(cli: subprocess.Popen[str], sig: signal.Signals) -> None:
    assert cli.stdout is not None
    url = cli.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:") and url.endswith("/")
    assert httpx.get(url + "control/state").json()["connections"] == []
    cli.send_signal(sig)
    assert cli.wait(timeout=5) == 0
    assert cli.stderr is not None and cli.stderr.read() == ""


def test_replay_cli_feeds_a_running_simulator(cli: subprocess.Popen[str]) -> None:
    assert cli.stdout is not None
    url = cli.stdout.readline().strip()
    done = subprocess.run(
        [sys.executable, "-m", "ssi_simulator.replay", "--url", url, "--seed", "3", "--rate", "0", "--count", "250"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    stats = json.loads(done.stdout)
    assert (stats["frames"], stats["posts"]) == (250, 5)
    assert httpx.get(url + "control/state").json()["frames_posted"] == 250
    cli.send_signal(signal.SIGTERM)
    assert cli.wait(timeout=5) == 0
