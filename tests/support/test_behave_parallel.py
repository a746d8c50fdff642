"""support/behave_parallel.py: behave in parallel processes gives the Allure results, output and verdict of a serial run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bdd_project import SuiteProject

from support import behave_summary
from support.behave_parallel import _without_paths

ALLURE = ("-f", "allure_behave.formatter:AllureFormatter")

STEPS = """
    from support.bdd import given, then

    @then("nothing is amiss")
    def _(world):
        pass

    @then("something is amiss")
    def _(world):
        assert False, "as this test planned"

    @given("a scenario that waits for the end of the run")
    def _(world):
        import os, threading
        with open("running.fifo", "w") as fifo:  # the test reads it: the scenario is running now
            fifo.write(str(os.getpid()))
        threading.Event().wait()
    """

FEATURES = {
    "features/one.feature": """
        Feature: One
          Scenario: The first of one
            Given nothing
            Then nothing is amiss

          Scenario Outline: An outline of one with <n>
            Given nothing
            Then nothing is amiss

            Examples:
              | n |
              | 1 |
              | 2 |
        """,
    "features/sub/two.feature": """
        Feature: Two
          Scenario: The only one of two
            Given nothing
            Then something is amiss
        """,
    "features/three.feature": """
        Feature: Three
          Rule: A rule of three
            Scenario: The rule's scenario
              Given nothing
        """,
    "features/slow.feature": """
        @perf
        Feature: Left out by the tags
          Scenario: Never run here
            Given nothing
        """,
}


def _write(project: SuiteProject) -> None:
    project.write("steps/more.py", STEPS)
    for path, text in FEATURES.items():
        project.write(path, text)


def _parallel(project: SuiteProject, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "support.behave_parallel", *args], cwd=project.path,
                          capture_output=True, text=True, timeout=120, check=False)


def _results(folder: Path) -> Counter[tuple[object, ...]]:
    """Each result's name, status, history id and labels (but the host and thread, which differ by process)."""
    seen: Counter[tuple[object, ...]] = Counter()
    for path in folder.glob("*-result.json"):
        result = json.loads(path.read_text())
        labels = tuple(sorted((label["name"], label["value"]) for label in result["labels"]
                              if label["name"] not in ("host", "thread")))
        parameters = tuple(sorted((p["name"], p["value"]) for p in result.get("parameters", [])))
        seen[(result["name"], result["fullName"], result["status"], result["historyId"], labels, parameters)] += 1
    return seen


def _counts(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if " passed, " in line]


def test_a_parallel_run_writes_the_allure_results_and_summary_of_a_serial_one(suite_project: SuiteProject) -> None:
    _write(suite_project)
    serial = suite_project.behave_to_allure("serial", "--tags=not @perf")
    parallel = _parallel(suite_project, "--processes", "2", "--tags=not @perf", *ALLURE, "-o", "parallel",
                         "-f", "progress")
    assert serial.returncode == 1 and parallel.returncode == 1, parallel.stdout + parallel.stderr
    by_serial, by_parallel = _results(suite_project.path / "serial"), _results(suite_project.path / "parallel")
    assert sum(by_serial.values()) == 7  # five scenarios run, one left out by the tags, the run's preconditions
    assert by_parallel == by_serial
    labels = {label for key in by_parallel for label in key[4]}  # type: ignore[union-attr]
    assert {("runner", "behave"), ("target", "wired")} <= labels
    for name in ("environment.properties", "executor.json", "categories.json"):
        assert (suite_project.path / "parallel" / name).read_text() == (suite_project.path / "serial" / name).read_text()
    assert _counts(parallel.stdout) == _counts(serial.stdout) == [
        "2 features passed, 1 failed, 1 skipped", "1 rule passed, 0 failed, 0 skipped",
        "4 scenarios passed, 1 failed, 1 skipped", "8 steps passed, 1 failed, 1 skipped"]
    assert "Failing scenarios:\n  features/sub/two.feature:2  The only one of two" in parallel.stdout
    assert parallel.stderr.count("Preconditions of the run") == 1


def test_each_feature_is_printed_whole_and_in_behave_s_order(suite_project: SuiteProject) -> None:
    _write(suite_project)
    parallel = _parallel(suite_project, "--processes", "3", "--tags=not @perf", "-f", "progress")
    lines = [line.split()[0] for line in parallel.stdout.splitlines() if line.startswith("features/")]
    assert lines == ["features/one.feature", "features/slow.feature", "features/three.feature",
                     "features/sub/two.feature"], parallel.stdout  # behave's order: a folder's files, then its folders
    assert "\nfeatures/one.feature  ...\n" in parallel.stdout  # its three scenarios' dots on its own line


def test_the_run_passes_when_every_feature_passes_and_takes_behave_s_options(suite_project: SuiteProject) -> None:
    _write(suite_project)
    parallel = _parallel(suite_project, "--processes", "2", "--tags=not @perf", "-D", "target=wired",
                         "-f", "progress", "features/one.feature", "features/three.feature")
    assert parallel.returncode == 0, parallel.stdout + parallel.stderr
    assert "2 features passed, 0 failed, 0 skipped" in parallel.stdout
    refused = _parallel(suite_project, "-D", "target=nowhere", "features/one.feature")
    assert refused.returncode == 1 and "nowhere" in refused.stderr
    suite_project.write("features/three.feature", "@nonsense\n" + FEATURES["features/three.feature"].strip())
    refused = _parallel(suite_project, "features/one.feature", "features/three.feature")
    assert refused.returncode == 1 and "RuleTagError" in refused.stderr and "@nonsense" in refused.stderr
    assert "USING RUNNER" not in refused.stdout  # refused before any behave process started


@pytest.mark.timeout(90)
def test_sigterm_ends_every_behave_process_before_the_runner_exits(suite_project: SuiteProject) -> None:
    suite_project.write("steps/more.py", STEPS)
    suite_project.write("features/waits.feature", """
        Feature: Waits
          Scenario: Waits for the end
            Given a scenario that waits for the end of the run
        """)
    os.mkfifo(suite_project.path / "running.fifo")
    runner = subprocess.Popen([sys.executable, "-m", "support.behave_parallel", "--processes", "2", "-f", "progress"],
                              cwd=suite_project.path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with (suite_project.path / "running.fifo").open() as fifo:  # opens once the scenario is running
            pid = int(fifo.read())
        runner.send_signal(signal.SIGTERM)
        _, errors = runner.communicate(timeout=30)
    finally:
        runner.kill()
    assert runner.returncode == 130, errors
    assert "every behave process ended" in errors
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_behave_s_summary_is_read_summed_and_written_as_behave_writes_it() -> None:
    first = "features/a.feature  .F\n\n\nFailing scenarios:\n  features/a.feature:4  bad\n\n" \
            "0 features passed, 1 failed, 0 skipped\n1 scenario passed, 1 failed, 0 skipped\n" \
            "1 step passed, 1 failed, 0 skipped\nTook 0min 1.500s\n"
    second = "features/b.feature  E\n\n\nErrored scenarios:\n  features/b.feature:2  worse\n\n" \
             "0 features passed, 0 failed, 1 error, 0 skipped\n0 scenarios passed, 0 failed, 1 error, 0 skipped\n" \
             "0 steps passed, 0 failed, 1 error, 0 skipped, 2 untested\nTook 1min 0.250s\n"
    output, total = behave_summary.split(first)
    assert output == "features/a.feature  .F" and total is not None
    _, other = behave_summary.split(second)
    assert other is not None
    total.add(other)
    assert total.took_s == pytest.approx(61.75) and total.failed()
    assert total.render() == (
        "\nFailing scenarios:\n  features/a.feature:4  bad\n\nErrored scenarios:\n  features/b.feature:2  worse\n\n"
        "0 features passed, 1 failed, 1 error, 0 skipped\n1 scenario passed, 1 failed, 1 error, 0 skipped\n"
        "1 step passed, 1 failed, 1 error, 0 skipped, 2 untested\n")
    assert behave_summary.split("features/a.feature  ..\n")[1] is None  # a run that died before its summary


def test_the_feature_paths_are_taken_out_of_behave_s_arguments_and_nothing_else() -> None:
    assert _without_paths(["--no-capture", "features/a", "features/b.feature", "-f", "progress"]) == [
        "--no-capture", "-f", "progress"]
    assert _without_paths(["-f", "progress", "-o", "features", "features"]) == ["-f", "progress", "-o", "features"]
    assert _without_paths(["--tags=not @perf", "-D", "target=wired"]) == ["--tags=not @perf", "-D", "target=wired"]
