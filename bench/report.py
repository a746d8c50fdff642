"""Writes performance_report.md: every measured figure against its threshold, and against a baseline.

    .venv/bin/python bench/report.py [--results performance_results.json] [--baseline old.json]
                                     [--load-results load-results] [--out performance_report.md]

Status of a figure: `fail` when it misses its threshold; `warning` when it meets it by less
than 10 % of the threshold, or is more than 20 % worse than the baseline; `pass` otherwise.
Locust results (`load-results/*/summary.json`, written by the @perf scenarios) are added
when present. Exit code 1 when any figure fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MARGIN = 0.10       # within 10 % of the threshold: warning
REGRESSION = 0.20   # 20 % worse than the baseline: warning


def status(value: float, op: str, threshold: float, baseline: float | None = None) -> str:
    """pass / warning / fail of one figure (see the module docstring)."""
    higher_is_better = op in (">=", ">")
    meets = value >= threshold if op == ">=" else value > threshold if op == ">" else \
        value <= threshold if op == "<=" else value < threshold
    if not meets:
        return "fail"
    slack = (value - threshold) if higher_is_better else (threshold - value)
    if threshold and slack < MARGIN * abs(threshold):
        return "warning"
    if baseline:
        worse = (baseline - value) / baseline if higher_is_better else (value - baseline) / baseline
        if worse > REGRESSION:
            return "warning"
    return "pass"


def _fmt(value: float, unit: str) -> str:
    if unit == "msg/s" or abs(value) >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}".strip()


def _metrics_table(results: dict[str, Any], baseline: dict[str, Any] | None) -> tuple[list[str], int]:
    lines = ["| Figure | Value | Threshold | Baseline | Status |", "|---|---|---|---|---|"]
    failed = 0
    base_metrics = (baseline or {}).get("metrics", {})
    for key, m in results.get("metrics", {}).items():
        base = base_metrics.get(key, {}).get("value")
        st = status(float(m["value"]), m["op"], float(m["threshold"]), base)
        failed += st == "fail"
        base_txt = _fmt(float(base), m["unit"]) if base is not None else "-"
        lines.append(f"| {m['label']} | {_fmt(float(m['value']), m['unit'])} | {m['op']} {_fmt(float(m['threshold']), m['unit'])} "
                     f"| {base_txt} | {_badge(st)} |")
    return lines, failed


def _badge(st: str) -> str:
    return {"pass": "pass", "warning": "**warning**", "fail": "**FAIL**"}[st]


def _load_section(load_dir: Path) -> tuple[list[str], int]:
    summaries = sorted(load_dir.glob("*/summary.json")) if load_dir.is_dir() else []
    if not summaries:
        return [], 0
    lines = ["", "## Load (Locust, from the @perf scenarios)", "",
             "| Scenario | Users | Figure | Value | Threshold | Status | CPU > 90 % |", "|---|---|---|---|---|---|---|"]
    failed = 0
    for path in summaries:
        s = json.loads(path.read_text(encoding="utf-8"))
        for check in s.get("checks", []):
            st = "pass" if check["ok"] else "fail"
            if st == "pass" and s.get("cpu_warning"):
                st = "warning"
            failed += st == "fail"
            lines.append(f"| {s['scenario']} | {s['users']} | {check['measure']} | {check['actual']} | {check['limit']} "
                         f"| {_badge(st)} | {'yes: spoiled' if s.get('cpu_warning') else 'no'} |")
    return lines, failed


def render(results: dict[str, Any], baseline: dict[str, Any] | None, load_dir: Path) -> tuple[str, int]:
    m = results.get("machine", {})
    lines = [
        "# Performance report: VN30 tracker", "",
        (f"Generated {results.get('generated_at', '?')} on {m.get('cpu_model', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('memory_gb', '?')} GB, {m.get('python', '?')} ({m.get('platform', '?')}); "
        f"load average at start {m.get('load_average', '?')}."),
        "Thresholds: docs/CONTRACT.md, [perf-throughput], [perf-memory], [perf-loop-lag]. Status: fail = threshold missed; warning = met by less than "
        "10 %, or more than 20 % worse than the baseline" + (" (given)" if baseline else " (none given)") + ".",
        "", "## Processing core and event loop", "",
    ]
    table, failed = _metrics_table(results, baseline)
    lines += table
    loop = results.get("event_loop", {})
    if loop:
        lines += ["", (f"Event loop: {loop['messages']:,} messages replayed at {loop['rate_achieved']:,.0f} msg/s "
                  f"through the service ingest path with one WebSocket client per channel "
                  f"({loop['ws_messages_received']} pushes received); ready-callback lag p50 {loop['lag_p50_ms']} ms, "
                  f"p99 {loop['lag_p99_ms']} ms, max {loop['lag_max_ms']} ms; asyncio tasks {loop['tasks_min']}..{loop['tasks_max']} "
                  f"(first {loop['tasks_first']}, last {loop['tasks_last']}: no growth means no task leak); "
                  f"a 5 ms sleep wakes {loop.get('timer_overshoot_p50_ms', '?')} ms late at p50 (epoll's 1 ms timeout granularity).")]
    load_lines, load_failed = _load_section(load_dir)
    lines += load_lines
    cpu = results.get("cpu_profile", {})
    if cpu:
        lines += ["", f"## CPU profile (cProfile, {cpu['messages']:,} messages, top by own time)", "",
                  "| Function | Calls | Own time (s) | Cumulative (s) | Own µs per message |", "|---|---|---|---|---|"]
        lines += [f"| `{r['function']}` | {r['calls']:,} | {r['tottime_s']} | {r['cumtime_s']} | {r['per_msg_us']} |"
                  for r in cpu["top"]]
    mem = results.get("memory_profile", {})
    if mem:
        lines += ["", (f"## Memory (tracemalloc, {mem['messages']:,} messages): growth {mem['growth_mb']} MB, "
                  f"peak traced {mem['peak_traced_mb']} MB"), "", "| Allocated at | Held after the run (KB) | Blocks |", "|---|---|---|"]
        lines += [f"| `{r['where']}` | {r['size_kb']:,} | {r['blocks']:,} |" for r in mem["top"]]
    return "\n".join(lines) + "\n", failed + load_failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "performance_results.json")
    parser.add_argument("--baseline", type=Path, default=None, help="an earlier performance_results.json")
    parser.add_argument("--load-results", type=Path, default=ROOT / "load-results")
    parser.add_argument("--out", type=Path, default=ROOT / "performance_report.md")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    text, failed = render(results, baseline, args.load_results)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({failed} failed)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
