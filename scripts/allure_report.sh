#!/usr/bin/env bash
# Build the Allure HTML report (allure-report/) from the suite's results (allure-results/).
#
#   bash scripts/allure_report.sh                    # runs the wired suite first if there are no results
#   REUSE_RESULTS=1 bash scripts/allure_report.sh    # only build, from the results already there
#   RESULTS=/tmp/r REPORT=/tmp/html bash scripts/allure_report.sh
#
# The Allure command line comes from npm (allure-commandline, a Java program) at a pinned
# version, installed into the git-ignored .tools/; it needs a Java runtime (Debian:
# default-jre-headless). The previous report's history/ is carried into the results first,
# so the report's trend graphs grow run by run. scripts/contract_overview.py adds the contract's
# verdicts (how many rules verified, failing, unverified) from the merged results.
set -euo pipefail
cd "$(dirname "$0")/.."

ALLURE_VERSION="${ALLURE_VERSION:-2.46.1}"
RESULTS="${RESULTS:-allure-results}"
REPORT="${REPORT:-allure-report}"
TOOLS="${TOOLS:-.tools}"
PYTHON="${PYTHON:-.venv/bin/python}"
ALLURE="$TOOLS/node_modules/.bin/allure"

if ! command -v java >/dev/null 2>&1; then
  echo "allure_report: the Allure command line needs Java (apt-get install default-jre-headless)" >&2
  exit 2
fi
if [ ! -x "$ALLURE" ] || [ "$("$ALLURE" --version 2>/dev/null)" != "$ALLURE_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "allure_report: npm is needed to install allure-commandline@$ALLURE_VERSION into $TOOLS/" >&2
    exit 2
  fi
  echo "allure_report: installing allure-commandline@$ALLURE_VERSION into $TOOLS/"
  npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact --loglevel=error \
    "allure-commandline@$ALLURE_VERSION"
fi

have_results() { compgen -G "$RESULTS/*-result.json" >/dev/null; }
suite_status=0
if have_results; then
  echo "allure_report: using the results in $RESULTS/"
elif [ "${REUSE_RESULTS:-0}" = 1 ]; then
  echo "allure_report: REUSE_RESULTS=1 but $RESULTS/ holds no results; run the suite first" >&2
  exit 2
else
  echo "allure_report: no results in $RESULTS/, running the wired suite first"
  "$PYTHON" -m pytest --gherkin --target=wired -m "not perf and not docker" \
    --alluredir="$RESULTS" --clean-alluredir || suite_status=$?
fi

if [ -d "$REPORT/history" ]; then  # trends: the last report's history becomes part of these results
  rm -rf "$RESULTS/history"
  cp -R "$REPORT/history" "$RESULTS/history"
fi
"$PYTHON" scripts/contract_overview.py --results "$RESULTS"  # the contract on the overview, from every stage
"$ALLURE" generate "$RESULTS" --clean --output "$REPORT" >/dev/null

"$PYTHON" - "$REPORT" <<'PY'
import json, sys
from pathlib import Path
stats = json.loads((Path(sys.argv[1]) / "widgets" / "summary.json").read_text())["statistic"]
parts = ", ".join(f"{stats[k]} {k}" for k in ("passed", "failed", "broken", "skipped", "unknown") if stats.get(k))
print(f"allure_report: {sys.argv[1]}/index.html: {stats['total']} scenarios ({parts or 'none'})")
PY
echo "allure_report: open it with: $ALLURE open $REPORT   (or any static web server)"
exit "$suite_status"
