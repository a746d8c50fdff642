"""Moving a tracker's clock from outside its process with libfaketime (a tracker without test control).

    clock = FakeClock.in_folder(scratch)          # writes its timestamp file there, offset 0
    clock.set_time_of_day(15, 4, 30)              # before the process starts: it starts at that time
    env = clock.process_env()                     # LD_PRELOAD, FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE
    ... start the tracker with env ...; clock.started()
    clock.advance(61)                             # forward only, read on the tracker's next clock call

The file holds an offset from real time (`+3600.000000`), so the tracker's clocks run at real
rate from wherever the suite put them. Which library, and so which clocks move:
- Debian's `libfaketime` (preferred): wall and monotonic clocks both move, so a tracker is moved
  whichever clock its windows read. Its traps: a backward jump freezes an asyncio loop, so
  `advance()` refuses negative moves and an earlier time of day is reached by its next
  occurrence, forward; a thread wait with a timeout (`Event.wait(t)`, `Queue.get(timeout=t)`)
  hangs after a jump (libfaketime issue 390: Python 3.11 waits with sem_clockwait, which it
  does not wrap) -- asyncio and `time.sleep` are safe; and FAKETIME_DONT_FAKE_MONOTONIC=1 would
  make `time.sleep` fail with EINVAL (issue 426), so it is never set with this library.
- the PyPI wheel `libfaketime` (fallback, x86_64): with monotonic faked even `time.sleep` hangs,
  so it runs with FAKETIME_DONT_FAKE_MONOTONIC=1, which its build survives: only the wall clock
  moves (enough for a tracker whose windows read the wall clock, as the contract's timestamps do).
Without FAKETIME_NO_CACHE=1 the file is read only every 10 s. Each trap has a test in
tests/support/test_faketime.py.
"""

from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import os
import time
from pathlib import Path

from support.clock import MARKET_TZ, next_time_of_day

LIBRARY_ENV = "VN30_FAKETIME_LIB"   # a libfaketime.so.1 of the caller's choice
FILE_NAME = "faketime-offset"
# Debian's package (apt-get install libfaketime), then the copy the PyPI wheel `libfaketime` ships.
_DEBIAN_GLOB = "/usr/lib/*-linux-gnu/faketime/libfaketime.so.1"
_WHEEL_PATH = ("vendor", "libfaketime", "src", "libfaketime.so.1")


def library_path() -> Path | None:
    """The libfaketime shared object to preload, or None when none is installed here."""
    chosen = os.environ.get(LIBRARY_ENV)
    if chosen:
        return Path(chosen) if Path(chosen).is_file() else None
    for found in sorted(glob.glob(_DEBIAN_GLOB)):
        return Path(found)
    spec = importlib.util.find_spec("libfaketime")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder).joinpath(*_WHEEL_PATH)
        if candidate.is_file():
            return candidate
    return None


def fakes_monotonic(library: Path) -> bool:
    """False for the wheel's build, which must leave the monotonic clock alone (see the module docstring)."""
    return "site-packages" not in library.parts and "dist-packages" not in library.parts


def unavailable_reason() -> str | None:
    """Why libfaketime cannot be used here, or None."""
    if library_path() is None:
        where = os.environ.get(LIBRARY_ENV) or f"{_DEBIAN_GLOB} or the `libfaketime` wheel"
        return (f"libfaketime is not installed ({where} not found): `apt-get install libfaketime` "
                f"or `pip install libfaketime`, or point {LIBRARY_ENV} at libfaketime.so.1")
    return None


class BackwardJump(ValueError):
    """A move of the clock into the past: libfaketime cannot do it safely (the loop would freeze)."""


class FakeClock:
    """The clock of a tracker process run under libfaketime; the suite is the only one moving it."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._offset_s = 0.0
        self._running = False
        self._write()

    @classmethod
    def in_folder(cls, folder: Path) -> FakeClock:
        return cls(folder / FILE_NAME)

    # -- what a process needs ----------------------------------------------------------------
    def process_env(self, *, library: Path | None = None, file: str | None = None) -> dict[str, str]:
        """The variables that put a process on this clock (`library` and `file` as that process sees them)."""
        host_library = library_path()
        if host_library is None:
            raise RuntimeError(unavailable_reason())
        env = {"LD_PRELOAD": str(library or host_library), "FAKETIME_TIMESTAMP_FILE": file or str(self.file),
               "FAKETIME_NO_CACHE": "1"}
        if not fakes_monotonic(host_library):
            env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        return env

    def started(self) -> None:
        """The process runs on this clock now: from here on it only moves forward."""
        self._running = True

    # -- the clock -----------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """The tracker's time: real time plus the offset in the file."""
        return dt.datetime.fromtimestamp(time.time() + self._offset_s, MARKET_TZ)

    stands_still = False  # it runs at real rate from wherever the suite put it

    def hold(self) -> None:
        """Nothing to do: a faked clock runs at real rate (a frozen monotonic clock would stop the loop)."""

    def then(self, moment: dt.datetime) -> dt.datetime:
        """The tracker's time at the past real moment `moment`: that moment plus the offset (unmoved since)."""
        return moment.astimezone(MARKET_TZ) + dt.timedelta(seconds=self._offset_s)

    def advance(self, seconds: float) -> dt.datetime:
        if seconds < 0:
            raise BackwardJump(f"cannot move the tracker's clock back by {-seconds:g} s: libfaketime moves a running "
                               "process forward only (a backward jump freezes its event loop)")
        self._offset_s += seconds
        self._write()
        return self.now()

    def set_time_of_day(self, hour: int, minute: int, second: int = 0) -> dt.datetime:
        """Ho Chi Minh City time of day: today's before the process starts, else its next occurrence."""
        now = self.now()
        if not self._running:
            wanted = dt.datetime.combine(now.date(), dt.time(hour, minute, second), MARKET_TZ)
            self._offset_s += (wanted - now).total_seconds()
            self._write()
            return self.now()
        return self.advance((next_time_of_day(now, (hour, minute, second)) - now).total_seconds())

    def _write(self) -> None:
        """Replace the file in one step, so the tracker never reads half an offset."""
        staging = self.file.with_suffix(".new")
        staging.write_text(f"{self._offset_s:+.6f}\n", encoding="ascii")
        os.replace(staging, self.file)
