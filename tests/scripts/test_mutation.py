"""The mutation run's scorer and plumbing: the score, the equivalents file, the scope, imports and time limits."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import mutation
import pytest
from mutants import Mutant, find_in
from mutation import Equivalent, Outcome, Score

ROOT = Path(__file__).resolve().parents[2]


def _outcome(line: int, verdict: str, after: str = "x = a <= b") -> Outcome:
    return Outcome(Mutant("tracker/core/m.py", line, 6, 7, "<", "<=", "comparison"), "x = a < b", after,
                   verdict, 1.0)


def test_the_score_leaves_the_survivors_judged_equivalent_out() -> None:
    equivalent = Equivalent("tracker/core/m.py", "x = a < b", "x = a <= b", "same", "a and b are never equal")
    score = Score([_outcome(1, "killed"), _outcome(2, "timeout"), _outcome(3, "survived"),
                   _outcome(4, "survived", after="x = a > b")], [equivalent])
    assert [o.mutant.line for o in score.killed] == [1, 2]
    assert [o.mutant.line for o, _ in score.equivalent] == [3]
    assert [o.mutant.line for o in score.gaps] == [4]
    assert score.percent == pytest.approx(100 * 2 / 3)
    report = "\n".join(score.lines())
    assert "2 killed / (4 mutants - 1 judged equivalent) = 66.7 % (1 of the killed ran out of time)" in report
    assert "tracker/core/m.py:4  [comparison]  x = a < b  ->  x = a > b" in report
    assert "judged equivalent (mutation_equivalents.toml): 1 (1 behave the same, 0 change only what" in report
    assert "tracker/core/m.py:3  x = a < b  ->  x = a <= b\n      same: a and b are never equal" in report


def test_an_equivalent_matches_by_its_lines_wherever_they_moved() -> None:
    equivalent = Equivalent("tracker/core/m.py", "x = a < b", "x = a <= b", "unspecified", "reason")
    assert Score([_outcome(120, "survived")], [equivalent]).gaps == []


def test_a_run_of_killed_mutants_only_scores_100() -> None:
    assert Score([_outcome(1, "killed")], []).percent == 100.0


@pytest.mark.parametrize(("code", "verdict"), [(0, "survived"), (1, "killed"), (2, "killed"), (None, "timeout")])
def test_any_failing_exit_kills_and_a_passing_suite_lets_survive(code: int | None, verdict: str) -> None:
    assert mutation.verdict(code) == verdict


def test_the_committed_equivalents_are_complete_and_each_still_names_a_mutant_of_the_tracker() -> None:
    equivalents = mutation.load_equivalents()
    produced = {(m.path, m.before(src := (ROOT / m.path).read_text(encoding="utf-8")), m.after(src))
                for m in find_in(ROOT, {e.path for e in equivalents})}
    stale = [e for e in equivalents if (e.path, e.before, e.after) not in produced]
    assert not stale, f"these lines changed: update or drop them in {mutation.EQUIVALENTS.name}: {stale}"
    assert all(e.reason.strip() for e in equivalents)


@pytest.mark.parametrize(("extra", "error"), [
    ('why = "same"', "equivalent #1 lacks reason"),
    ('why = "harmless"\nreason = "r"', "equivalent #1: why = 'harmless', not one of same, unspecified"),
])
def test_an_equivalent_without_its_reason_or_a_known_why_stops_the_run(tmp_path: Path, extra: str, error: str) -> None:
    listing = tmp_path / "equivalents.toml"
    listing.write_text(f'[[equivalent]]\npath = "tracker/x.py"\nbefore = "a"\nafter = "b"\n{extra}\n',
                       encoding="utf-8")
    with pytest.raises(SystemExit, match=error):
        mutation.load_equivalents(listing)


def test_the_scope_is_the_core_and_the_service_layer_less_the_command_line() -> None:
    modules = mutation.modules()
    assert "tracker/core/alerts.py" in modules and "tracker/publisher.py" in modules
    assert "tracker/__main__.py" not in modules
    assert all(m.startswith("tracker/") for m in modules)


def test_a_copy_that_does_not_import_is_told_apart_and_the_copy_wins_over_the_installed_tracker(
        tmp_path: Path) -> None:
    (tmp_path / "tracker").mkdir()
    (tmp_path / "tracker" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "tracker" / "main.py").write_text("", encoding="utf-8")
    (tmp_path / "tracker" / "rules.py").write_text("LIMIT = 1 // 1\n", encoding="utf-8")
    good = Mutant("tracker/rules.py", 1, 8, 14, "1 // 1", "1 // 1", "arithmetic")
    assert mutation.imports(tmp_path, good, sys.executable)
    (tmp_path / "tracker" / "rules.py").write_text("LIMIT = 1 // 0\n", encoding="utf-8")
    assert not mutation.imports(tmp_path, good, sys.executable)


def test_a_run_over_its_time_limit_ends_with_everything_it_started(tmp_path: Path) -> None:
    fake_python = tmp_path / "python"
    fake_python.write_text(f"#!/bin/sh\nsleep 30 &\necho $! > {tmp_path}/child\nwait\n", encoding="utf-8")
    fake_python.chmod(0o755)
    started = time.monotonic()
    code, _, seconds = mutation.run_suite(tmp_path, str(fake_python), 0, timeout=1)
    assert code is None and seconds < 10 and time.monotonic() - started < 10
    child = int((tmp_path / "child").read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")
