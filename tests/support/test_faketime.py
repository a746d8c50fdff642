"""libfaketime as the suite uses it, and each of its known traps, on real child processes."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from support import faketime
from support.clock import MARKET_TZ
from support.faketime import BackwardJump, FakeClock

LIBRARY = faketime.library_path()
needs_library = pytest.mark.skipif(LIBRARY is None, reason=faketime.unavailable_reason() or "")
needs_debian_library = pytest.mark.skipif(LIBRARY is None or not faketime.fakes_monotonic(LIBRARY),
                                          reason="needs Debian's libfaketime (apt-get install libfaketime)")
TICKER = """
import asyncio, sys, time
async def main():
    for _ in range(400):
        print(f"{time.time():.3f} {time.monotonic():.3f}", flush=True)
        await asyncio.sleep(0.02)
asyncio.run(main())
"""


@contextlib.contextmanager
def _child(code: str, clock: FakeClock) -> Iterator[IO[str]]:
    """A child on `clock`, its stdout to read; killed and reaped (pipes closed) at the end."""
    env = {"PATH": os.environ.get("PATH", ""), **clock.process_env()}
    with subprocess.Popen([sys.executable, "-u", "-c", code], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as child:
        try:
            assert child.stdout is not None
            yield child.stdout
        finally:
            child.kill()


def _run(code: str, clock: FakeClock, timeout: float = 5.0, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), **clock.process_env(), **extra}
    return subprocess.run([sys.executable, "-u", "-c", code], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@needs_library
def test_a_process_started_at_a_time_of_day_runs_from_there(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    wanted = clock.set_time_of_day(15, 4, 30)
    done = _run("import time; print(time.time())", clock)
    seen = dt.datetime.fromtimestamp(float(done.stdout), MARKET_TZ)
    assert abs((seen - wanted).total_seconds()) < 5, f"the child started at {seen}, not {wanted}: {done.stderr}"


@needs_library
def test_a_forward_jump_moves_the_running_process_and_its_event_loop_goes_on(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    with _child(TICKER, clock) as out:
        wall_before, mono_before = map(float, out.readline().split())
        clock.started()
        clock.advance(3600)
        ticks = [tuple(map(float, out.readline().split())) for _ in range(5)]
    wall_after, mono_after = ticks[-1]
    assert 3600 <= wall_after - wall_before < 3630, ticks
    if faketime.fakes_monotonic(LIBRARY):  # type: ignore[arg-type]
        assert 3600 <= mono_after - mono_before < 3630, "the monotonic clock did not follow the jump"
    else:
        assert mono_after - mono_before < 30, "the wheel's build must leave the monotonic clock alone"


def test_the_clock_never_jumps_back_once_the_process_runs(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    clock.started()
    with pytest.raises(BackwardJump, match="forward only"):
        clock.advance(-1)
    before = clock.now()
    earlier = (before - dt.timedelta(minutes=10)).astimezone(MARKET_TZ)
    moved = clock.set_time_of_day(earlier.hour, earlier.minute, earlier.second)
    assert moved > before, "an earlier time of day is reached forward, on the next day"
    assert (moved.hour, moved.minute, moved.second) == (earlier.hour, earlier.minute, earlier.second)


def test_the_file_holds_an_offset_from_real_time_replaced_whole(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    clock.advance(90.5)
    offset = float(clock.file.read_text())
    assert offset == pytest.approx(90.5)
    assert abs((clock.now().timestamp() - time.time()) - 90.5) < 1
    assert list(tmp_path.iterdir()) == [clock.file], "no half-written file is left beside it"


@needs_debian_library
def test_time_sleep_and_asyncio_survive_a_jump_with_the_suite_settings(tmp_path: Path) -> None:
    clock = FakeClock.in_folder(tmp_path)
    clock.advance(3600)
    code = "import asyncio, time; time.sleep(0.02); asyncio.run(asyncio.sleep(0.02)); print('ok')"
    done = _run(code, clock)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    assert "FAKETIME_DONT_FAKE_MONOTONIC" not in clock.process_env()


@needs_debian_library
def test_trap_leaving_monotonic_alone_makes_time_sleep_fail_with_einval(tmp_path: Path) -> None:
    """Why the suite never sets FAKETIME_DONT_FAKE_MONOTONIC with Debian's library (issue 426)."""
    clock = FakeClock.in_folder(tmp_path)
    clock.advance(3600)
    done = _run("import time; time.sleep(0.02)", clock, FAKETIME_DONT_FAKE_MONOTONIC="1")
    assert done.returncode != 0 and "Invalid argument" in done.stderr, done


@needs_debian_library
def test_trap_a_thread_wait_with_a_timeout_hangs_after_a_jump(tmp_path: Path) -> None:
    """Why docs/CONTRACT.md warns about thread waits (issue 390): a tracker using them is not moved safely."""
    clock = FakeClock.in_folder(tmp_path)
    clock.advance(3600)
    with pytest.raises(subprocess.TimeoutExpired):
        _run("import threading; threading.Event().wait(0.05)", clock, timeout=2.0)


@needs_debian_library
def test_trap_a_backward_jump_freezes_the_event_loop(tmp_path: Path) -> None:
    """Why FakeClock refuses to move back: written by hand here, the loop stops ticking."""
    clock = FakeClock.in_folder(tmp_path)
    with _child(TICKER, clock) as out:
        out.readline()
        before = _ticks(out, seconds=1.0)
        staging = tmp_path / "staging"
        staging.write_text("-600\n")
        os.replace(staging, clock.file)  # what FakeClock.advance() refuses to do
        _ticks(out, seconds=0.5)         # the ticks already on their way
        after = _ticks(out, seconds=1.5)
    assert before >= 5, f"the loop ticked only {before} times a second before the jump: the test says nothing"
    assert after <= 1, f"the event loop went on ticking after a backward jump ({after} ticks in 1.5 s)"


def _ticks(out: IO[str], seconds: float) -> int:
    """Lines the child writes in the next `seconds` (read from the pipe itself, not the buffer)."""
    deadline, count = time.monotonic() + seconds, 0
    while (left := deadline - time.monotonic()) > 0:
        if select.select([out], [], [], left)[0]:
            count += os.read(out.fileno(), 65536).count(b"\n")
    return count


def _wheel_library() -> Path | None:
    spec = importlib.util.find_spec("libfaketime")
    folders = list(spec.submodule_search_locations or []) if spec else []
    found = [Path(folder, "vendor", "libfaketime", "src", "libfaketime.so.1") for folder in folders]
    return next((path for path in found if path.is_file()), None)


@pytest.mark.skipif(_wheel_library() is None, reason="the PyPI wheel libfaketime is not installed")
def test_the_wheel_build_leaves_monotonic_alone_and_survives_sleep_and_thread_waits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(faketime.LIBRARY_ENV, str(_wheel_library()))
    clock = FakeClock.in_folder(tmp_path)
    clock.advance(3600)
    assert clock.process_env()["FAKETIME_DONT_FAKE_MONOTONIC"] == "1"
    code = ("import asyncio, threading, time; t = time.time(); time.sleep(0.02); threading.Event().wait(0.02); "
            "asyncio.run(asyncio.sleep(0.02)); print(t)")
    done = _run(code, clock)
    assert done.returncode == 0, done.stderr
    assert abs(float(done.stdout) - time.time() - 3600) < 30, "the wall clock did not move"
