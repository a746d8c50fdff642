# One entry point for people and CI. `make acceptance` and `make test` set everything up
# themselves on a fresh machine (Python 3.11, pip, Node/npm, Java, apt).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RESULTS ?= allure-results
REUSE_RESULTS ?= 0
PYTEST := $(BIN)/python -m pytest
# Scenarios run in parallel processes (pytest-xdist); they mostly wait on sockets and timers, so more
# workers than cores still pays on 2 cores (wired: 50 s serial, 23 s with 4). PARALLEL=0 runs serially.
PARALLEL ?= 4
comma := ,
XDIST := -n $(PARALLEL)

.PHONY: install faketime lint kill-check suite-speed random-order mutation soak acceptance test unit report-check coverage coverage-ci suite-wired suite-live suite-behave suite-docker perf perf-ci bench bench-ci report clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[suite,dev]'
	touch $(STAMP)

## The main job: every scenario against the embedded reference tracker, with Allure results
## and the HTML report.
acceptance: install
	status=0; $(PYTEST) --gherkin --target=wired -m "not perf and not docker and not soak" $(XDIST) \
	  --alluredir=$(RESULTS) --clean-alluredir || status=$$?; \
	RESULTS=$(RESULTS) REUSE_RESULTS=1 bash scripts/allure_report.sh || true; exit $$status

## Everything CI runs.
## Every stage writes into one results folder ($(RESULTS)): suite-wired cleans it first, the others add
## to it, each result labelled with its runner and target; report-check builds and checks one report.
test: install lint unit suite-wired suite-live suite-behave perf-ci bench-ci suite-docker kill-check report-check coverage-ci

## ruff over the tree, mypy --strict on the packages (STYLE.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy --strict tracker/ ssi_simulator/ support/

unit: install faketime
	$(PYTEST) tests -q -m "not report" $(XDIST)

## One HTML report of every stage's results, then a check of it in headless Chromium (tests/report).
report-check: install
	RESULTS=$(RESULTS) REUSE_RESULTS=1 bash scripts/allure_report.sh
	REPORT_CHECK_REPORT=allure-report REPORT_CHECK_RESULTS=$(RESULTS) $(PYTEST) tests -q -m report -ra

suite-wired: install
	$(PYTEST) --gherkin --target=wired -m "not perf and not docker and not soak" $(XDIST) \
	  --alluredir=$(RESULTS) --clean-alluredir

## The reference tracker as a team's tracker would be: its own process, no test control, so the
## @clock scenarios move its clock from outside with libfaketime (docs/CONTRACT.md, section 6).
suite-live: install faketime
	$(PYTEST) --gherkin --target=live --sut-env TRACKER_TEST_CONTROL=0 -m "not perf and not docker and not soak" -p no:randomly $(XDIST) \
	  --alluredir=$(RESULTS)

## behave in PARALLEL processes, one feature file each (support/behave_parallel.py), the same Allure
## results and summary as a serial run; PARALLEL=0 runs plain behave.
suite-behave: install
	$(if $(filter 0,$(PARALLEL)),$(BIN)/behave,$(BIN)/python -m support.behave_parallel --processes $(PARALLEL)) \
	  --tags="not @perf and not @docker and not @soak and not @wip" \
	  -f allure_behave.formatter:AllureFormatter -o $(RESULTS) -f progress

suite-docker: install faketime
	bash .ci/docker.sh
	$(PYTEST) --gherkin --target=docker --sut-env TRACKER_TEST_CONTROL=0 -m "(docker or smoke) and not soak" \
	  --alluredir=$(RESULTS)

## Debian's libfaketime for trackers without test control (the pinned PyPI wheel is the fallback).
faketime:
	@ls /usr/lib/*-linux-gnu/faketime/libfaketime.so.1 >/dev/null 2>&1 || bash scripts/install_libfaketime.sh

## Every tracker rule of docs/CONTRACT.md (sections 2-7), the scenarios tagged @rule:<id> for it, and
## their verdicts in $(RESULTS)/. Exits 1 while a rule has no scenario or a tag names an unknown id.
coverage: install
	$(BIN)/python scripts/rule_coverage.py --results $(RESULTS)

## The same table in `make test`, after suite-wired: printed, never failing, since rules are still
## being covered by scenarios (the gaps are listed at the end; `make coverage` is the verdict).
coverage-ci: install
	$(BIN)/python scripts/rule_coverage.py --results $(RESULTS) --brief \
	  || echo "coverage: some rules have no scenario yet or a tag names an unknown id (see above)"

## Full-size load (500 dashboards, 500 pollers, 800-user market open): minutes, run alone.
perf: install
	$(PYTEST) --gherkin --target=wired -m perf --alluredir=$(RESULTS)

## The same @perf features at a tenth of the size and at most 5 s a phase, for CI. Failures, silent clients and lost
## connections fail; a missed latency limit prints WARN with its figures (PERF_TIMING=report):
## on a shared machine a latency is a measurement, `make perf` is the verdict.
perf-ci: install
	PERF_SCALE=0.1 PERF_DURATION_S=5 PERF_TIMING=report $(PYTEST) --gherkin --target=wired -m perf \
	  --alluredir=$(RESULTS)

## Interrupt a wired, a live and a docker run mid-scenario (SIGINT, SIGTERM): nothing may be left.
kill-check: install
	$(BIN)/python scripts/kill_check.py --targets wired,live$(if $(shell docker info >/dev/null 2>&1 && echo y),$(comma)docker)

## How fast the suite runs: wired serial and parallel, live; wall time, ms per scenario, slowest ten.
suite-speed: install faketime
	$(BIN)/python bench/suite_speed.py --parallel $(if $(filter 0,$(PARALLEL)),4,$(PARALLEL))

## No scenario leaks into the next (not in `make test`: minutes): the wired suite in ORDERS random orders
## (pytest-randomly seeds, printed with each run's verdict), every run passing. ORDER_SEED=N replays from seed N.
ORDERS ?= 20
random-order: install
	$(BIN)/python scripts/random_order.py --runs $(ORDERS) --parallel $(PARALLEL) \
	  $(if $(ORDER_SEED),--first-seed $(ORDER_SEED))

## Fault finding as a figure (not in `make test`): a seeded random sample of mutants of tracker/core/ and the
## service layer, one comparison, arithmetic, boolean or constant flipped each, run against the wired suite
## (-x, PARALLEL workers) in a copy of the tree; prints the mutation score and the survivors. About 30 s a
## mutant on 2 cores: the default 40 take some 25 minutes. MUTANTS=N SEED=S for another sample;
## scripts/mutation_equivalents.toml holds the survivors judged equivalent, with their reasons.
MUTANTS ?= 40
SEED ?= 11
mutation: install
	$(BIN)/python scripts/mutation.py --sample $(MUTANTS) --seed $(SEED) --workers $(PARALLEL)

## A whole trading day (@soak, nightly; not in `make test`): ATO to the 15:05 reset and into the next morning,
## the clock moved from outside between the steps (libfaketime on live without test control, then the test
## control on wired), four screens connected all day; prints its figures (connections, shares, memory of the
## first and last hour, heartbeat gaps, token renewals). About 2 minutes a target here; SOAK_TRADES_PER_SYMBOL
## (default 300) and SOAK_STEP_MINUTES (default 10, smaller is more steps) make a longer day.
soak: install faketime
	status=0; $(PYTEST) --gherkin --target=live --sut-env TRACKER_TEST_CONTROL=0 -m soak -p no:randomly -rP \
	  --alluredir=$(RESULTS) || status=$$?; \
	$(PYTEST) --gherkin --target=wired -m soak -p no:randomly -rP --alluredir=$(RESULTS) || status=$$?; exit $$status

bench: install
	$(BIN)/python bench/core_throughput.py
	$(BIN)/python bench/profile_tracker.py
	$(BIN)/python bench/report.py $(if $(BASELINE),--baseline $(BASELINE))

## CI prints the benchmark figures and their verdicts; a benchmark on a shared machine is a
## measurement, not a test, so a missed timing threshold is reported here, not failed. The report is
## attached to the throughput scenario's results in $(RESULTS)/ (bench/attach_report.py).
bench-ci: install
	$(BIN)/python bench/profile_tracker.py --seconds 5 --throughput-messages 100000
	$(BIN)/python bench/report.py || echo "bench: some thresholds missed, see the table below"
	$(BIN)/python bench/attach_report.py --results $(RESULTS)
	sed -n '1,40p' performance_report.md

## The HTML report (allure-report/) from $(RESULTS)/, running the wired suite first when there are
## no results; REUSE_RESULTS=1 only builds. Trends carry over from the previous report. See docs/REPORTING.md.
report: install
	RESULTS=$(RESULTS) REUSE_RESULTS=$(REUSE_RESULTS) bash scripts/allure_report.sh

clean:
	rm -rf $(RESULTS) allure-report .pytest_cache performance_results.json performance_report.md
