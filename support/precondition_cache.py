"""The run's preconditions checked once for all its processes: xdist's controller and workers share one verdict.

    precondition_cache.share(run_id, owner=True)     # the controller: the run's files are its to remove
    precondition_cache.share(run_id)                 # a worker (xdist's testrunuid names the run)
    conformance = precondition_cache.once(options, check)   # check() in the first process, read in the others
    precondition_cache.unshare()                     # the owner, at the end of the run

Each worker used to start a tracker of its own to check the same things again (about half a
second of CPU each, more on the live target). Whoever comes first takes an exclusive lock on
the run's file, checks and writes the verdict; the others block on the lock (released by the
kernel should that process die) and read it. A process not sharing checks for itself.
"""

from __future__ import annotations

import atexit
import dataclasses
import fcntl
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from support.conformance import Conformance, Finding
from support.targets import TargetOptions

_folder: Path | None = None
_owner = False


def share(run_id: str, *, owner: bool = False) -> None:
    """From now on this process shares the verdicts of the run `run_id` (a file name's worth of letters)."""
    global _folder, _owner
    _folder = Path(tempfile.gettempdir()) / f"vn30-verdict-{''.join(c for c in run_id if c.isalnum())}"
    _folder.mkdir(exist_ok=True)
    _owner = owner
    if owner:
        atexit.register(unshare)  # should the run end before its session finishes


def unshare() -> None:
    """Stop sharing; the owner removes the run's files."""
    global _folder, _owner
    folder, owner, _folder, _owner = _folder, _owner, None, False
    if folder is not None and owner:
        shutil.rmtree(folder, ignore_errors=True)


def once(options: TargetOptions, check: Callable[[], Conformance]) -> Conformance:
    """The verdict of the run for `options`: `check()` here when no process of the run has checked yet."""
    if _folder is None:
        return check()
    name = hashlib.sha256(repr(options).encode()).hexdigest()[:16]
    verdict = _folder / f"{name}.json"
    with open(_folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first process checks (bounded by the checks' deadlines)
        if verdict.exists():
            return _load(verdict.read_text(encoding="utf-8"))
        conformance = check()
        staging = verdict.with_suffix(".new")
        staging.write_text(json.dumps(dataclasses.asdict(conformance)), encoding="utf-8")
        staging.replace(verdict)
        return conformance


def _load(text: str) -> Conformance:
    data = json.loads(text)
    findings = [Finding(**finding) for finding in data.pop("findings")]
    return Conformance(findings=findings, **data)
