"""The preconditions' verdict is checked by the first process of a run and read by the others, then removed."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import precondition_cache
from support.conformance import Conformance, Finding
from support.targets import TargetOptions

OPTIONS = TargetOptions(name="wired")
VERDICT = Conformance(findings=[Finding("healthy", "passed", "GET /health answered 200", "200", "rest-health"),
                                Finding("subscribed", "failed", "no stream connection", "X, R, MI, B", "subscribe")],
                      clock="control", took_s=0.4)


@pytest.fixture(autouse=True)
def _own_sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under xdist this very process shares its run's verdicts (the root conftest): the tests set their own."""
    monkeypatch.setattr(precondition_cache, "_folder", None)
    monkeypatch.setattr(precondition_cache, "_owner", False)


@pytest.fixture
def run_id() -> Iterator[str]:
    run = uuid.uuid4().hex
    precondition_cache.share(run, owner=True)
    yield run
    precondition_cache.unshare()


def test_the_first_process_checks_and_the_others_read_its_verdict(run_id: str) -> None:
    checks: list[str] = []

    def check() -> Conformance:
        checks.append("checked")
        return VERDICT
    assert precondition_cache.once(OPTIONS, check) == VERDICT
    # another process of the run (a worker) reads it instead of checking: a check there would exit 3
    worker = subprocess.run([sys.executable, "-c", (
        "import sys; from support import precondition_cache as c; from support.targets import TargetOptions as T\n"
        f"c.share({run_id!r})\n"
        "seen = c.once(T(name='wired'), lambda: sys.exit(3))\n"
        "print(seen.failure().citation(), seen.clock)")],
        capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2])
    assert worker.returncode == 0, worker.stderr
    assert worker.stdout.strip() == f"{VERDICT.failure().citation()} control"  # type: ignore[union-attr]
    assert checks == ["checked"]


def test_other_options_are_checked_apart_and_the_owner_removes_the_run_files(run_id: str) -> None:
    precondition_cache.once(OPTIONS, lambda: VERDICT)
    live = precondition_cache.once(TargetOptions(name="live"), lambda: Conformance(clock_reason="none here"))
    assert live.clock_reason == "none here" and live.findings == []
    folder = Path(tempfile.gettempdir()) / f"vn30-verdict-{run_id}"
    assert folder.is_dir()
    precondition_cache.unshare()
    assert not folder.exists()


def test_a_process_that_shares_nothing_checks_for_itself() -> None:
    calls = []
    precondition_cache.once(OPTIONS, lambda: calls.append(1) or VERDICT)
    precondition_cache.once(OPTIONS, lambda: calls.append(1) or VERDICT)
    assert calls == [1, 1]
