"""behave in N processes, one feature file each, with allure-behave's results and one summary of the run.

    python -m support.behave_parallel --processes 4 --tags="not @perf" \\
        -f allure_behave.formatter:AllureFormatter -o allure-results -f progress

Every other argument is behave's, passed to each process as given (-D, --tags, formatters):
each process runs behave's own main on its feature file, so allure-behave's formatter writes
the same results as in a serial run, into the same folder (it never cleans it). Why not a
library: behave 1.3 has only a sequential runner (--jobs is reserved for runners nobody ships),
and BehaveX replaces behave's command line and writes Allure results of its own from its JSON
report after the run, without allure-behave, so without the labels, masking and traces this
suite adds through allure_commons (support/behave_hooks.py, support/allure_results.py).

What a serial run does once, this runner does once, before any process starts: the tags of
every feature checked, the Allure metadata written, the run's preconditions checked, printed
and reported. The processes are forked from this one (a single thread by then), so they
start with its imports loaded (a fresh interpreter spends about 1 s of CPU on them) and with
its verdict on the preconditions (support/preconditions.py caches it); VN30_BEHAVE_WORKER
tells their before_all not to report the run again. Each runs in a session of its own.

Features without a selected scenario go to one process together (they only count as
skipped). The longest features start first: their time in the results folder from an earlier
run, else their number of scenarios. Each feature's output is printed whole, in behave's
feature order, then one summary like behave's; the exit code is 1 if any process failed.
SIGINT and SIGTERM end every process with its group (SIGTERM, SIGKILL after a grace) before the
runner exits. A formatter writing one file (-f json -o run.json) would be overwritten by each
process: use formatters that write into a folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import allure_behave.formatter  # type: ignore[import-untyped]  # noqa: F401 -- loaded once, here
import allure_commons
from allure_commons.logger import AllureFileLogger
from behave.__main__ import main as behave_main  # type: ignore[import-untyped]
from behave.configuration import Configuration, setup_parser  # type: ignore[import-untyped]
from behave.exception import ConfigError  # type: ignore[import-untyped]
from behave.parser import ParserError  # type: ignore[import-untyped]
from behave.runner_util import collect_feature_locations, parse_features  # type: ignore[import-untyped]

from support import (
    allure_results,
    behave_hooks,
    behave_summary,
    contract,
    processes,
    reaper,
    tag_check,
)
from support.targets import TargetOptions
from support.traceability import RuleTagError

DEFAULT_PROCESSES = 4
_FORK = multiprocessing.get_context("fork")  # each process starts from this one's imports and preconditions
_ALLURE_FORMATTER = "allure_behave.formatter:AllureFormatter"


@dataclass
class Job:
    """One behave process: its feature files (in behave's order) and how long they are expected to take."""

    order: int  # the position of its first feature in behave's order
    paths: list[str]
    weight: float


@dataclass
class Outcome:
    job: Job
    returncode: int
    output: str  # what behave's formatters printed, without its summary
    errors: str  # its stderr
    summary: behave_summary.Summary | None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support.behave_parallel", allow_abbrev=False,
                                     description="behave in parallel processes, one feature file each; every "
                                                 "other argument is behave's")
    parser.add_argument("--processes", type=int, default=DEFAULT_PROCESSES, metavar="N",
                        help=f"behave processes at a time (default {DEFAULT_PROCESSES})")
    ours, behave_args = parser.parse_known_args(argv)
    if ours.processes < 1:
        parser.error("--processes must be at least 1")
    began = time.monotonic()
    try:
        config = Configuration(behave_args)
        paths = config.paths or ["features"]  # behave's own default
        features = parse_features(collect_feature_locations(paths), language=config.lang)
        tag_check.check(features, contract.load())
        options = behave_hooks.target_options(config.userdata)
        each = _without_paths(behave_args)
    except (ConfigError, ParserError, OSError, ValueError, RuleTagError) as error:
        print(f"behave_parallel: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    processes.install()
    try:
        _report_run(config, options)
    except KeyboardInterrupt as interrupt:  # the preconditions' tracker is stopped by their own teardown
        print(f"behave_parallel: interrupted ({interrupt or 'SIGINT'}) before any behave process started",
              file=sys.stderr)
        return 130
    reaper.drain()  # the preconditions' tracker stops on a reaper thread: one thread again before forking
    jobs = plan(features, config, _past_durations(_allure_folder(config)))
    _unregister_file_loggers()  # the forked processes register allure-behave's own; this one would write twice
    print(f"USING RUNNER: {ours.processes} behave processes, one feature file each (support/behave_parallel.py)")
    return Run(each, ours.processes, summaries=bool(config.summary)).run(jobs, began)


def plan(features: Sequence[Any], config: Any, durations: dict[str, float]) -> list[Job]:
    """One job per feature with a selected scenario, and one for the features without (they only count as
    skipped). Weights: the feature's time in an earlier run, else its selected scenarios at the mean time."""
    jobs: list[Job] = []
    unselected: list[tuple[int, str]] = []
    known = [durations[f.name] / max(1, _selected(f, config)) for f in features if f.name in durations]
    mean = sum(known) / len(known) if known else 1.0
    for order, feature in enumerate(features):
        selected = _selected(feature, config)
        if not selected:
            unselected.append((order, feature.filename))
        else:
            jobs.append(Job(order, [feature.filename], durations.get(feature.name, selected * mean)))
    if unselected:
        jobs.append(Job(unselected[0][0], [path for _, path in unselected], 0.0))
    return jobs


def _selected(feature: Any, config: Any) -> int:
    return sum(1 for scenario in feature.walk_scenarios() if config.tag_expression.check(scenario.effective_tags))


class Run:
    """The jobs in at most `processes` behave processes at a time, longest first; each feature's output printed
    whole, in feature order, as soon as it and the features before it have ended."""

    def __init__(self, behave_args: list[str], processes: int, *, summaries: bool = True) -> None:
        self.behave_args, self.processes = behave_args, processes
        self.summaries = summaries  # behave prints one at the end of each process (not with --no-summary)
        self._running: dict[Any, tuple[Job, BaseProcess, Path]] = {}  # by the process's sentinel

    def run(self, jobs: list[Job], began: float) -> int:
        """Every job run; 0 if every process passed. `began`: when the run began (time.monotonic())."""
        total = behave_summary.Summary()
        status = 0
        pending = sorted(jobs, key=lambda job: (-job.weight, job.order))
        ended: dict[int, Outcome] = {}
        to_print = sorted(job.order for job in jobs)
        with tempfile.TemporaryDirectory(prefix="behave-parallel-") as folder:
            try:
                while pending or self._running:
                    while pending and len(self._running) < self.processes:
                        self._start(pending.pop(0), Path(folder))
                    for sentinel in wait(list(self._running)):  # blocks until one of them ends
                        job, process, files = self._running.pop(sentinel)
                        process.join()
                        ended[job.order] = _outcome(job, process.exitcode, files)
                    while to_print and to_print[0] in ended:
                        failed = self._report(ended.pop(to_print.pop(0)), total)
                        status = status or int(failed)
            except KeyboardInterrupt as interrupt:
                self.stop()
                print(f"\nbehave_parallel: interrupted ({interrupt or 'SIGINT'}): every behave process ended",
                      file=sys.stderr)
                return 130
        if self.summaries:
            print("\n" + total.render(), end="")
            print(f"Took {behave_summary.took(time.monotonic() - began)} in {self.processes} processes "
                  f"(the features' own times add up to {behave_summary.took(total.took_s)})")
        return status

    def _report(self, outcome: Outcome, total: behave_summary.Summary) -> bool:
        """Print the process's output, add its summary to `total`; True if it failed the run."""
        if outcome.output.strip():
            print(outcome.output.rstrip("\n"), flush=True)
        if outcome.errors.strip():
            print(outcome.errors.rstrip("\n"), file=sys.stderr, flush=True)
        if outcome.summary is not None:
            total.add(outcome.summary)
        elif self.summaries:
            print(f"behave_parallel: {' '.join(outcome.job.paths)} ended without behave's summary "
                  f"(exit code {outcome.returncode})", file=sys.stderr, flush=True)
            return True
        return outcome.returncode != 0

    def stop(self) -> None:
        """Every running process ended with its group: SIGTERM to all (they unwind their scenarios' teardowns),
        SIGKILL to what is left after processes.GRACE_S."""
        running = [process for _, process, _ in self._running.values()]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + processes.GRACE_S
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)  # the process if it is still there, and what it left
            process.join()
        self._running.clear()

    def _start(self, job: Job, folder: Path) -> None:
        files = folder / str(job.order)
        args = [*self.behave_args, *job.paths]
        sys.stdout.flush()
        sys.stderr.flush()  # nothing buffered here may be written again by the child
        process = _FORK.Process(target=_behave, args=(args, files), name=f"behave {' '.join(job.paths)}")
        process.start()
        self._running[process.sentinel] = (job, process, files)


def _behave(args: list[str], files: Path) -> None:
    """In the forked process: a session of its own, stdout and stderr into files, then behave itself."""
    os.setsid()  # its trackers and their children in its group: the runner ends them all at once
    os.environ[behave_hooks.WORKER_ENV] = "1"
    for fd, suffix in ((1, ".out"), (2, ".err")):
        target = os.open(f"{files}{suffix}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    code = 1
    try:
        code = behave_main(args)
    finally:
        processes.end_all()  # a forked process skips atexit: end what its scenarios left, as behave's would
        sys.stdout.flush()
        sys.stderr.flush()
    sys.exit(code)


def _outcome(job: Job, exitcode: int | None, files: Path) -> Outcome:
    text = _read(Path(f"{files}.out"))
    lines = [line for line in text.splitlines() if not line.startswith("USING RUNNER:")]
    output, summary = behave_summary.split("\n".join(lines))
    return Outcome(job, 1 if exitcode is None else exitcode, output, _read(Path(f"{files}.err")), summary)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _signal_group(process: BaseProcess, sig: signal.Signals) -> None:
    if process.pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)


def _report_run(config: Any, options: TargetOptions) -> None:
    """What behave_hooks.before_all does once per run, done here once for all the processes."""
    folder = _allure_folder(config)
    if folder is not None:
        allure_commons.plugin_manager.register(AllureFileLogger(str(folder)))  # type: ignore[no-untyped-call]
        allure_results.install(runner="behave", target=options.name)
    behave_hooks.report_run(options, dry_run=config.dry_run)


def _unregister_file_loggers() -> None:
    for plugin in list(allure_commons.plugin_manager.get_plugins()):
        if isinstance(plugin, AllureFileLogger):
            allure_commons.plugin_manager.unregister(plugin)


def _allure_folder(config: Any) -> Path | None:
    """The folder behave's arguments give allure-behave's formatter (-f ... -o DIR, paired in order)."""
    for index, name in enumerate(config.format or []):
        if name == _ALLURE_FORMATTER and index < len(config.outputs):
            return Path(config.outputs[index].name)
    return None


def _past_durations(folder: Path | None) -> dict[str, float]:
    """Seconds per feature name, summed over the results an earlier run left in `folder` (any runner)."""
    durations: Counter[str] = Counter()
    for path in folder.glob("*-result.json") if folder is not None and folder.is_dir() else ():
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
            feature = next(label["value"] for label in result["labels"] if label["name"] == "feature")
            durations[feature] += (result["stop"] - result["start"]) / 1000
        except (OSError, ValueError, KeyError, TypeError, StopIteration):
            continue
    return dict(durations)


def _without_paths(args: list[str]) -> list[str]:
    """behave's arguments without the feature paths given on the command line (each process gets its own).

    The paths are the tokens behave's own parser reads as paths; the one run of them whose removal
    leaves every other option as it was is removed."""
    parser = setup_parser()
    parsed = vars(parser.parse_args(args))
    paths = parsed.pop("paths")
    if not paths:
        return list(args)
    for start in range(len(args) - len(paths) + 1):
        if args[start:start + len(paths)] == paths:
            rest = args[:start] + args[start + len(paths):]
            again = vars(parser.parse_args(rest))
            if not again.pop("paths") and again == parsed:
                return rest
    raise SystemExit(f"behave_parallel: cannot tell the feature paths {paths} from the options; put them last")


if __name__ == "__main__":
    sys.exit(main())
