"""Runs Locust as a bounded subprocess and reads its statistics (locust is never imported here).

Importing locust would monkey-patch the test process with gevent, so a scenario starts
`python -m locust -f load/<file>.py --headless ...` in its own process group, waits for it
with a deadline, and reads the statistics Locust writes to `<prefix>_stats.csv`
(support/locust_stats.py; the locustfiles' quitting listener writes the final rows into it, since
Locust's own writer runs once a second and not at exit). Usage:

    from support.locust_runner import LoadRun, run_locust, attach_to_allure
    result = run_locust(LoadRun(locustfile="load/locustfile.py", host=tracker_url, users=50,
                                spawn_rate=50, run_time_s=20, user_classes=["MarketStreamUser"],
                                options={"sim-url": simulator_url}, out_dir=tmp_path))
    print(result.table()); result.entry("delivery latency").p99_ms
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from support import locust_html, processes
from support.locust_stats import EntryStats, Stats, StatsFileError, read_stats

__all__ = ["EntryStats", "LoadResult", "LoadRun", "LocustRunError", "attach_to_allure", "run_locust"]

REPO_ROOT = Path(__file__).resolve().parents[1]
CPU_WARNINGS = ("CPU usage above", "exceeded cpu threshold", "CPU usage threshold was exceeded")
_GRACE_S = 45.0


class LocustRunError(RuntimeError):
    """Locust did not produce statistics (crashed, or killed at its deadline); names the log."""


@dataclass(frozen=True)
class LoadRun:
    """One bounded Locust run.

    locustfile: path relative to the repository root (`load/locustfile.py`, `load/market_open.py`).
    host: the tracker's base URL. users / spawn_rate / run_time_s: `-u -r -t` (ignored by a
    locustfile with a load shape, which stops by itself; run_time_s still bounds it).
    user_classes: class names to run (all by weight when empty). processes: `--processes`.
    options: extra `--name value` knobs of the locustfile (`sim-url`, `thresholds`, ...).
    """

    locustfile: str
    host: str
    out_dir: Path
    users: int = 10
    spawn_rate: float = 10.0
    run_time_s: float = 10.0
    user_classes: Sequence[str] = ()
    processes: int | None = None
    options: Mapping[str, str | int | float] = field(default_factory=dict)
    shaped: bool = False
    name: str = "locust"


@dataclass(frozen=True)
class LoadResult:
    run: LoadRun
    exit_code: int
    duration_s: float
    stats: Stats
    cpu_warning: bool
    log_path: Path
    csv_prefix: Path
    html_path: Path
    errors: tuple[str, ...] = ()

    @property
    def stats_csv(self) -> Path:
        """Locust's `<prefix>_stats.csv`, where the figures come from."""
        return stats_csv(self.csv_prefix)

    def entry(self, name: str) -> EntryStats:
        """The row named `name` (or `METHOD name`); a zero row when the run has none."""
        return self.stats.entry(name)

    def table(self) -> str:
        """The statistics as a fixed-width text table, for messages and reports."""
        head = f"{'Type':<5} {'Name':<34} {'reqs':>7} {'fails':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'req/s':>8}"
        lines = [head, "-" * len(head)]
        for e in (*self.stats.entries, self.stats.total):
            lines.append(
                f"{e.method:<5} {e.name[:34]:<34} {e.requests:>7} {e.failures:>6} {_ms(e, e.median_ms):>6} "
                f"{_ms(e, e.p95_ms):>6} {_ms(e, e.p99_ms):>6} {_ms(e, e.max_ms):>7} {e.rps:>8.1f}"
            )
        r = self.run
        lines.append(f"users={r.users} spawn_rate={r.spawn_rate:g} run_time={r.run_time_s:g}s "
                     f"processes={r.processes or 1} duration={self.duration_s:.1f}s exit_code={self.exit_code}"
                     + (" CPU>90%: measurement spoiled" if self.cpu_warning else ""))
        lines.extend(f"error: {line}" for line in self.errors[:10])
        return "\n".join(lines)


def _ms(entry: EntryStats, value: float) -> str:
    return f"{value:.0f}" if entry.timed else "-"


def stats_csv(prefix: Path) -> Path:
    """The request statistics Locust writes for `--csv <prefix>`."""
    return prefix.with_name(prefix.name + "_stats.csv")


def run_locust(run: LoadRun, *, env: Mapping[str, str] | None = None, deadline_s: float | None = None) -> LoadResult:
    """Run Locust headless and return its statistics; raises LocustRunError without them.

    The process is killed (its whole group) `deadline_s` after start (default: run time + 45 s).
    """
    out = Path(run.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix, html, log_path = out / run.name, out / f"{run.name}.html", out / f"{run.name}.log"
    for stale in (stats_csv(prefix), html):
        stale.unlink(missing_ok=True)
    if secret := [key for key in run.options if "token" in key.lower()]:
        raise ValueError(f"Locust option(s) {', '.join(secret)} would put a secret on the command line: "
                         "pass it in `env` (LOAD_WS_TOKEN)")
    cmd = [sys.executable, "-m", "locust", "-f", run.locustfile, "--host", run.host, "--headless",
           "--csv", str(prefix), "--html", str(html), "--only-summary"]
    # no --stop-timeout: users stop at once (their on_stop still runs), so workers report the
    # last sessions within the half second the master waits for them
    if not run.shaped:
        cmd += ["-u", str(run.users), "-r", f"{run.spawn_rate:g}"]
    cmd += ["-t", f"{max(1, round(run.run_time_s))}s"]
    if run.processes:
        cmd += ["--processes", str(run.processes)]
    for key, value in run.options.items():
        cmd += [f"--{key}", str(value)]
    cmd += list(run.user_classes)
    child_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    child_env.pop("PYTEST_CURRENT_TEST", None)
    limit = deadline_s if deadline_s is not None else run.run_time_s + _GRACE_S
    start = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        proc = processes.spawn(cmd, cwd=REPO_ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            code = _wait(proc, limit)
        finally:  # an interrupted scenario must not leave Locust running
            processes.end(proc, grace_s=15)
    duration = time.monotonic() - start
    text = log_path.read_text(encoding="utf-8", errors="replace")
    try:
        stats = read_stats(stats_csv(prefix).read_text(encoding="utf-8"), source=str(stats_csv(prefix)))
    except (OSError, StatsFileError) as exc:
        tail = "\n".join(text.splitlines()[-25:])
        raise LocustRunError(f"locust wrote no statistics (exit {code}, log {log_path}): {exc}\n{tail}") from None
    errors = tuple(line.split("threshold broken: ", 1)[1] for line in text.splitlines() if "threshold broken: " in line)
    return LoadResult(run, code, duration, stats, any(w in text for w in CPU_WARNINGS), log_path, prefix, html, errors)


def _wait(proc: subprocess.Popen[bytes], limit: float) -> int:
    """Locust's exit code; past `limit`, its group gets SIGTERM (Locust writes its statistics on it), SIGKILL 15 s later."""
    try:
        return proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        code = processes.end(proc, grace_s=15)
        if code is None:
            raise
        return code


def attach_to_allure(result: LoadResult) -> None:
    """Attach the statistics table, the CSV and the HTML report to the current Allure step."""
    try:
        import allure
    except ImportError:  # allure is optional outside the suite
        return
    allure.attach(result.table(), name="Locust statistics", attachment_type=allure.attachment_type.TEXT)
    csv = result.stats_csv
    if csv.exists():
        allure.attach.file(str(csv), name="Locust statistics (CSV)",  # type: ignore[no-untyped-call]
                           attachment_type=allure.attachment_type.CSV)
    if result.html_path.exists():  # viewable: Allure previews it in a sandbox where Locust's page would stay blank
        allure.attach(locust_html.viewable(result.html_path.read_text(encoding="utf-8", errors="replace")),
                      name="Locust report", attachment_type=allure.attachment_type.HTML)
    if result.cpu_warning:
        allure.attach(_cpu_lines(result.log_path), name="Locust CPU warning", attachment_type=allure.attachment_type.TEXT)


def _cpu_lines(log_path: Path) -> str:
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(line for line in lines if any(w in line for w in CPU_WARNINGS))
