"""The app factory, the lazy module-level app, `python -m tracker`, and a quick clean lifecycle."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from tracker_fakes import FakeProcessor, StubConsumer, make_settings, serve

from tracker.main import create_app
from tracker.settings import SettingsError

pytestmark = pytest.mark.timeout(20)
ROOT = Path(__file__).resolve().parents[2]


def test_python_m_tracker_without_credentials_exits_2_with_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSI_", "WS_"))}
    done = subprocess.run([sys.executable, "-m", "tracker", "--port", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=15, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SSI_CONSUMER_ID" in lines[0] and "Traceback" not in done.stderr


def test_importing_main_never_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSI_CONSUMER_ID", "SSI_CONSUMER_SECRET", "SSI_BASE_URL", "SSI_STREAM_URL"):
        monkeypatch.delenv(name, raising=False)
    main = importlib.reload(importlib.import_module("tracker.main"))
    with pytest.raises(SettingsError):
        main.app  # noqa: B018 - the lazy attribute is the subject
    with pytest.raises(AttributeError):
        main.nothing  # noqa: B018


def test_module_level_app_is_built_once_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"SSI_CONSUMER_ID": "a", "SSI_CONSUMER_SECRET": "b", "SSI_BASE_URL": "http://127.0.0.1:9",
                        "SSI_STREAM_URL": "http://127.0.0.1:9", "TRACKER_TEST_CONTROL": "1"}.items():
        monkeypatch.setenv(name, value)
    main = importlib.reload(importlib.import_module("tracker.main"))
    assert main.app is main.app
    assert main.app.state.service.settings.test_control is True


@pytest.mark.asyncio
async def test_start_and_stop_are_quick_and_leave_no_task_or_thread() -> None:
    tasks_before = asyncio.all_tasks()
    threads_before = set(threading.enumerate())
    app = create_app(make_settings(), processor=FakeProcessor(),  # type: ignore[arg-type]
                     consumer_factory=lambda service: StubConsumer())  # type: ignore[arg-type,return-value]
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with serve(app) as server:
        startup = loop.time() - started
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"http://127.0.0.1:{server.port}/health")).status_code == 200
        stopping = loop.time()
    assert startup < 0.5 and loop.time() - stopping < 0.5
    await asyncio.sleep(0)
    assert asyncio.all_tasks() == tasks_before
    assert set(threading.enumerate()) <= threads_before


def test_ingest_from_another_thread_runs_on_the_service_loop() -> None:
    """The wired target calls the message-level entry from its own (synchronous) thread."""
    app = create_app(make_settings(), processor=FakeProcessor(),  # type: ignore[arg-type]
                     consumer_factory=lambda service: StubConsumer())  # type: ignore[arg-type,return-value]
    service = app.state.service
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    seen: list[Any] = []

    async def run() -> None:
        await service.start()
        ready.set()
        while not seen:
            await asyncio.sleep(0.01)
        await service.stop()

    original = service.processor.process_content

    def spy(content: Any) -> Any:
        seen.append(threading.get_ident())
        return original(content)

    service.processor.process_content = spy
    thread = threading.Thread(target=lambda: loop.run_until_complete(run()))
    thread.start()
    try:
        assert ready.wait(5)
        assert service.ingest_content({"RType": "Trade", "Symbol": "ACB", "LastVol": 3}) is not None
        assert seen == [thread.ident]
    finally:
        thread.join(5)
        loop.close()


@pytest.mark.asyncio
async def test_python_m_tracker_serves_and_stops_on_sigterm_closing_clients_with_1001() -> None:
    import signal

    import websockets
    from tracker_fakes import FakeSsi
    from websockets.asyncio.client import connect

    async with FakeSsi() as ssi:
        env = {**os.environ, "SSI_CONSUMER_ID": "id", "SSI_CONSUMER_SECRET": "secret", "SSI_BASE_URL": ssi.url,
               "SSI_STREAM_URL": ssi.url, "LOG_LEVEL": "WARNING"}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tracker", "--host", "127.0.0.1", "--port", "0", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            assert proc.stdout is not None
            url = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode().strip()
            assert url.startswith("http://127.0.0.1:")
            async with httpx.AsyncClient(base_url=url) as http, asyncio.timeout(5):
                while not (await http.get("/health")).json()["upstream_connected"]:
                    await asyncio.sleep(0.05)
            async with connect(url.replace("http", "ws") + "ws/market") as ws:
                await asyncio.sleep(0.05)
                proc.send_signal(signal.SIGTERM)
                with pytest.raises(websockets.ConnectionClosed):
                    await asyncio.wait_for(ws.recv(), 3)
                assert ws.close_code == 1001
            # uvicorn re-raises the captured SIGTERM after its graceful shutdown, as a process should
            assert await asyncio.wait_for(proc.wait(), 3) == -signal.SIGTERM
            assert b"Traceback" not in await proc.stderr.read()  # type: ignore[union-attr]
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
