"""Fault finding as a figure: a seeded random sample of mutants of the tracker, each run against the wired suite.

scripts/fault_injection.py flips the rules the features were written for; this flips whatever the
dice pick (scripts/mutants.py: one comparison, arithmetic, boolean or constant of tracker/core/ or
the service layer). Each mutant is applied to its own copy of the tree, which must still import
(one that does not is skipped and the next one drawn), and the wired suite runs there with ``-x``:
the first failing scenario kills it. A run over its time limit counts as killed (and says so).
Survivors listed in scripts/mutation_equivalents.toml are judged equivalent and leave the score:

    score = killed / (mutants run - survivors judged equivalent)

Usage:
    .venv/bin/python scripts/mutation.py                       # 40 mutants, seed 11
    .venv/bin/python scripts/mutation.py --sample 100 --seed 3
    .venv/bin/python scripts/mutation.py --list                # the sample, without running it
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection import COPY_IGNORE, REPO
from mutants import Mutant, find_in, shuffled

SUITE = ["-m", "pytest", "--gherkin", "--target=wired", "-m", "not perf and not docker", "-x",
         "-p", "no:randomly", "-q", "--no-header", "-p", "no:cacheprovider", "--timeout=60"]
SCOPE = ("tracker/core/*.py", "tracker/*.py")
# `python -m tracker`'s argument parsing: the wired target builds the app itself and never runs it
OUT_OF_SCOPE = frozenset({"tracker/__main__.py"})
EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.toml")
DEFAULT_SAMPLE = 40
DEFAULT_SEED = 11


WHY = {"same": "behave the same", "unspecified": "change only what the contract leaves open"}


@dataclass(frozen=True)
class Equivalent:
    """A survivor judged equivalent, matched by file and its line before and after (so lines may move).

    ``why`` is "same" (the tracker behaves the same) or "unspecified" (what changes is outside every
    rule of docs/CONTRACT.md: a log line, an extra field, a label).
    """

    path: str
    before: str
    after: str
    why: str
    reason: str


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    before: str
    after: str
    verdict: str  # "killed" | "timeout" (killed) | "survived"
    seconds: float
    failed: tuple[str, ...] = ()
    exit_code: int | None = None

    @property
    def killed(self) -> bool:
        return self.verdict != "survived"


@dataclass
class Score:
    """Outcomes split the way the report reads them."""

    outcomes: list[Outcome]
    equivalents: Sequence[Equivalent]
    skipped: list[Mutant] = field(default_factory=list)

    def judged(self, outcome: Outcome) -> Equivalent | None:
        return next((e for e in self.equivalents if (e.path, e.before, e.after) ==
                     (outcome.mutant.path, outcome.before, outcome.after)), None)

    @property
    def killed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.killed]

    @property
    def equivalent(self) -> list[tuple[Outcome, Equivalent]]:
        return [(o, e) for o in self.outcomes if not o.killed and (e := self.judged(o)) is not None]

    @property
    def gaps(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.killed and self.judged(o) is None]

    @property
    def percent(self) -> float:
        return self._percent(len(self.equivalent))

    @property
    def strict_percent(self) -> float:
        """The score when only the survivors that behave the same leave it."""
        return self._percent(sum(e.why == "same" for _, e in self.equivalent))

    def _percent(self, left_out: int) -> float:
        counted = len(self.outcomes) - left_out
        return 100.0 * len(self.killed) / counted if counted else 100.0

    def lines(self) -> Iterator[str]:
        run, killed, equivalent = len(self.outcomes), len(self.killed), len(self.equivalent)
        timeouts = sum(o.verdict == "timeout" for o in self.outcomes)
        yield (f"mutation score: {killed} killed / ({run} mutants - {equivalent} judged equivalent) = "
               f"{self.percent:.1f} %" + (f" ({timeouts} of the killed ran out of time)" if timeouts else ""))
        same = sum(e.why == "same" for _, e in self.equivalent)
        if same != equivalent:
            yield (f"  strictly (only the {same} that behave the same left out): {killed} / ({run} - {same}) = "
                   f"{self.strict_percent:.1f} %")
        if self.skipped:
            yield f"skipped, not counted: {len(self.skipped)} mutant(s) that do not import"
        yield f"survivors not judged equivalent (gaps of the suite): {len(self.gaps)}"
        for o in self.gaps:
            yield f"  {o.mutant.where}  [{o.mutant.kind}]  {o.before}  ->  {o.after}"
        split = ", ".join(f"{sum(e.why == why for _, e in self.equivalent)} {text}" for why, text in WHY.items())
        yield f"survivors judged equivalent ({EQUIVALENTS.name}): {equivalent} ({split})"
        for o, e in self.equivalent:
            yield f"  {o.mutant.where}  {o.before}  ->  {o.after}\n      {e.why}: {e.reason}"


def load_equivalents(path: Path = EQUIVALENTS) -> list[Equivalent]:
    """The survivors judged equivalent; an entry lacking a field or with an unknown ``why`` stops the run."""
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    out = []
    for n, entry in enumerate(entries, 1):
        missing = {"path", "before", "after", "why", "reason"} - entry.keys()
        if missing:
            raise SystemExit(f"{path.name}: equivalent #{n} lacks {', '.join(sorted(missing))}")
        if entry["why"] not in WHY:
            raise SystemExit(f"{path.name}: equivalent #{n}: why = {entry['why']!r}, not one of {', '.join(WHY)}")
        out.append(Equivalent(entry["path"], entry["before"], entry["after"], entry["why"], entry["reason"]))
    return out


def modules(root: Path = REPO, scope: Iterable[str] = SCOPE) -> list[str]:
    """The modules mutated: tracker/core/ and the service layer, less what the wired suite never runs."""
    found = {p.relative_to(root).as_posix() for pattern in scope for p in root.glob(pattern)}
    return sorted(found - OUT_OF_SCOPE)


@contextmanager
def tree_copy(mutant: Mutant | None) -> Iterator[Path]:
    """A copy of the working tree with the mutant applied (none: the tree as it is)."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(REPO, tree, ignore=COPY_IGNORE)
        if mutant is not None:
            target = tree / mutant.path
            target.write_text(mutant.apply(target.read_text(encoding="utf-8")), encoding="utf-8")
        yield tree


def _env(tree: Path) -> dict[str, str]:
    """The copy first on the path: the venv's editable install points at the original tree."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))}


def imports(tree: Path, mutant: Mutant, python: str) -> bool:
    """Whether the mutated module and the tracker's app still import in the copy."""
    module = mutant.path.removesuffix(".py").replace("/", ".")
    done = subprocess.run([python, "-c", f"import {module}, tracker.main"], cwd=tree, env=_env(tree),
                          capture_output=True, text=True, check=False, timeout=120)
    return done.returncode == 0


def run_suite(tree: Path, python: str, workers: int, timeout: float) -> tuple[int | None, str, float]:
    """(exit code or None on timeout, stdout, seconds); the whole process group goes at the limit."""
    command = [python, *SUITE, *(["-n", str(workers)] if workers else [])]
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=tree, env=_env(tree), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # pytest, its xdist workers and whatever they started
        out, _ = proc.communicate()
        code = None
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return code, out, time.monotonic() - started


def baseline(python: str, workers: int) -> float:
    """Seconds of the suite on the unmutated copy, which must pass and import the copy's tracker."""
    with tree_copy(None) as tree:
        where = subprocess.run([python, "-c", "import tracker; print(tracker.__file__)"], cwd=tree, env=_env(tree),
                               capture_output=True, text=True, check=True).stdout.strip()
        if not Path(where).resolve().is_relative_to(tree.resolve()):
            raise SystemExit(f"the copy imports the tracker from {where}, not from {tree}: mutants would not count")
        code, out, seconds = run_suite(tree, python, workers, timeout=1800)
    if code != 0:
        raise SystemExit(f"the unmutated tracker fails the suite (exit {code}): fix that first\n{out[-3000:]}")
    return seconds


def run_mutant(mutant: Mutant, python: str, workers: int, timeout: float) -> Outcome | None:
    """The mutant's outcome, or None when the mutated tree does not import."""
    source = (REPO / mutant.path).read_text(encoding="utf-8")
    with tree_copy(mutant) as tree:
        if not imports(tree, mutant, python):
            return None
        code, out, seconds = run_suite(tree, python, workers, timeout)
    failed = tuple(dict.fromkeys(re.findall(r"^FAILED \S+?::(.+?)(?: - .*)?$", out, flags=re.MULTILINE)))
    return Outcome(mutant, mutant.before(source), mutant.after(source), verdict(code), seconds, failed, code)


def verdict(code: int | None) -> str:
    """A passing suite lets the mutant survive; any failure kills it (xdist's -x ends with exit 2)."""
    return "timeout" if code is None else "survived" if code == 0 else "killed"


def _progress(n: int, o: Outcome) -> str:
    how = {"survived": "SURVIVED", "timeout": "killed (time limit)"}.get(o.verdict, "killed")
    if o.verdict == "killed":
        how += f" by {o.failed[0]}" if o.failed else f" (exit {o.exit_code})"
    return f"{n:3} {o.mutant.where:34} {o.mutant.kind:10} {o.seconds:5.1f} s  {how}\n      {o.before}  ->  {o.after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help=f"mutants to run (default {DEFAULT_SAMPLE})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--workers", type=int, default=4, help="pytest-xdist processes per run (0: serially)")
    parser.add_argument("--timeout", type=float,
                        help="seconds per mutant (default: 5 x the baseline, at least 600; a hung scenario "
                             "already fails after pytest-timeout's 60 s, this only guards the run)")
    parser.add_argument("--list", action="store_true", help="print the sample and stop")
    parser.add_argument("--fail-under", type=float, default=0.0, help="exit 1 below this score in %% (default 0)")
    args = parser.parse_args(argv)
    python, started = sys.executable, time.monotonic()
    population = find_in(REPO, modules())
    order = shuffled(population, args.seed)
    print(f"{len(population)} mutants in {', '.join(SCOPE)} (less {', '.join(sorted(OUT_OF_SCOPE))}); "
          f"a sample of {args.sample}, seed {args.seed}", flush=True)
    if args.list:
        for m in order[:args.sample]:
            source = (REPO / m.path).read_text(encoding="utf-8")
            print(f"{m.where:34} {m.kind:10} {m.before(source)}  ->  {m.after(source)}")
        return 0
    seconds = baseline(python, args.workers)
    timeout = args.timeout or max(600.0, 5 * seconds)
    print(f"baseline: the unmutated tracker passes in {seconds:.1f} s; time limit {timeout:.0f} s a mutant", flush=True)
    score = Score([], load_equivalents())
    for mutant in order:
        if len(score.outcomes) == args.sample:
            break
        outcome = run_mutant(mutant, python, args.workers, timeout)
        if outcome is None:
            score.skipped.append(mutant)
            print(f"    {mutant.where:34} {mutant.kind:10} skipped: does not import", flush=True)
            continue
        score.outcomes.append(outcome)
        print(_progress(len(score.outcomes), outcome), flush=True)
    print()
    for line in score.lines():
        print(line)
    print(f"took {time.monotonic() - started:.0f} s", flush=True)
    return 1 if score.percent < args.fail_under else 0


if __name__ == "__main__":
    sys.exit(main())
