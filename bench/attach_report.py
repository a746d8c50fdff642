"""Attaches the benchmark report (performance_report.md, bench/report.py) to the throughput scenario's results.

    .venv/bin/python bench/attach_report.py --results allure-results [--report performance_report.md]

`make bench-ci` runs it after bench/report.py, on the results folder every stage of `make test`
writes into: each result of the scenario of features/performance/processing_throughput.feature,
whichever runner and target wrote it, gets the report (and the figures it was made from) as
attachments, so the Allure report shows the in-process benchmark beside the measurement through
the tracker's upstream. The scenario runs before the benchmark in CI (perf-ci, then bench-ci),
hence an attachment added to its written result rather than by its step. Run again, it replaces
what it attached before. Exit code 0 whether or not such a result is there (it says which).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FEATURE = "Processing throughput"  # the Feature: of features/performance/processing_throughput.feature
REPORT_NAME = "Benchmark report (make bench-ci: bench/profile_tracker.py, bench/report.py)"
FIGURES_NAME = "Benchmark figures (performance_results.json)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=Path, default=ROOT / "allure-results")
    parser.add_argument("--report", type=Path, default=ROOT / "performance_report.md")
    parser.add_argument("--figures", type=Path, default=ROOT / "performance_results.json")
    options = parser.parse_args(argv)
    if not options.report.is_file():
        print(f"attach benchmark: no {options.report} (bench/report.py writes it)")
        return 0
    attached = attach(options.results, options.report, options.figures if options.figures.is_file() else None)
    print(f"attach benchmark: {options.report.name} attached to {len(attached)} result(s) of '{FEATURE}'"
          + ("" if attached else f" (none in {options.results}/: the @perf stage did not run it)"))
    return 0


def attach(results: Path, report: Path, figures: Path | None) -> list[Path]:
    """Add the report (text) and the figures (JSON) to every result of the throughput scenario; the paths changed."""
    changed = []
    for path in sorted(results.glob("*-result.json")) if results.is_dir() else []:
        try:
            result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not any(label.get("name") == "feature" and label.get("value") == FEATURE for label in result.get("labels", [])):
            continue
        ours = [a for a in result.get("attachments", []) if a.get("name") in (REPORT_NAME, FIGURES_NAME)]
        for earlier in ours:  # a second run replaces the files of the first
            (results / str(earlier.get("source"))).unlink(missing_ok=True)
        kept = [a for a in result.get("attachments", []) if a not in ours]
        added = [_copy(results, report, REPORT_NAME, "text/plain", "txt")]
        if figures is not None:
            added.append(_copy(results, figures, FIGURES_NAME, "application/json", "json"))
        result["attachments"] = kept + added
        path.write_text(json.dumps(result), encoding="utf-8")
        changed.append(path)
    return changed


def _copy(results: Path, source: Path, name: str, kind: str, extension: str) -> dict[str, str]:
    target = f"{uuid.uuid4()}-attachment.{extension}"
    (results / target).write_bytes(source.read_bytes())
    return {"name": name, "source": target, "type": kind}


if __name__ == "__main__":
    sys.exit(main())
