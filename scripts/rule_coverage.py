"""make coverage: each tracker rule of docs/CONTRACT.md, the scenarios that verify it, their verdicts in the last Allure results.

    .venv/bin/python scripts/rule_coverage.py                      # allure-results/ (sub-folders too)
    .venv/bin/python scripts/rule_coverage.py --results r --brief  # one line per rule

A scenario verifies the rules its @rule:<id> tags name (on it, its Rule or its Feature). Its
verdict is that of its latest result (passed, failed, broken, skipped), or "not run". Exits 1
when a tracker rule (sections 2-7) has no scenario or a tag names an id the contract does not
have, saying which; 0 otherwise, whatever the verdicts (the suite's own exit code says those).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's support/, whatever is installed

from support import contract, traceability
from support.feature_scan import ScenarioEntry, scan
from support.rule_coverage import (
    NOT_RUN,
    Coverage,
    Traced,
    scenario_key,
    summary_lines,
    table_lines,
    verdicts_from_allure,
)


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        catalogue = contract.load(options.contract.resolve())
    except contract.ContractError as error:
        print(f"rule coverage: {error}", file=sys.stderr)
        return 2
    entries = scan(options.features, root=options.root)
    verdicts = verdicts_from_allure(options.results) if options.results.is_dir() else {}
    coverage = Coverage(catalogue, [_traced(entry, verdicts) for entry in entries])

    source = contract.CONTRACT_DOC if options.contract.resolve() == contract.CONTRACT_PATH else options.contract
    print(f"Contract rules ({source}) and the scenarios that verify them; verdicts from {options.results}/")
    if not verdicts:
        print(f"  (no Allure results under {options.results}/: every verdict is '{NOT_RUN}')")
    print("\n".join(summary_lines(coverage) if options.brief else table_lines(coverage)))
    if untraced := coverage.untraced:
        files = Counter(scenario.location.rsplit(":", 1)[0] for scenario in untraced)
        print(f"{len(untraced)} of {len(entries)} scenarios name no tracker rule:")
        print("\n".join(f"  {path}: {count}" for path, count in sorted(files.items())))

    unknown = _unknown_tags(entries, catalogue)
    if unknown:
        print(f"\n{traceability.RuleTagError(unknown, catalogue)}")
    if coverage.uncovered or unknown:
        print(f"\nrule coverage: {len(coverage.uncovered)} tracker rule(s) without a scenario, "
              f"{len(unknown)} tag(s) naming no rule")
        return 1
    return 0


def _traced(entry: ScenarioEntry, verdicts: dict[tuple[str, str, tuple[tuple[str, str], ...]], str]) -> Traced:
    verdict = verdicts.get(scenario_key(entry.feature, entry.name, entry.parameters), NOT_RUN)
    return Traced(entry.name, entry.location, entry.rules, verdict)


def _unknown_tags(entries: list[ScenarioEntry], catalogue: contract.Catalogue) -> list[str]:
    """Each rule tag naming no rule, once per place it is written."""
    places = {(f"{entry.path}:{tag.line}", tag.name) for entry in entries for tag in entry.tags}
    return [problem for where, tag in sorted(places)
            if (problem := traceability.unknown_rule(tag, where, catalogue))]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=Path, default=Path("allure-results"),
                        help="the Allure results folder (default allure-results)")
    parser.add_argument("--features", type=Path, default=ROOT / "features", help="the feature files (default features/)")
    parser.add_argument("--contract", type=Path, default=contract.CONTRACT_PATH, help="default docs/CONTRACT.md")
    parser.add_argument("--root", type=Path, default=ROOT, help="paths are shown relative to it")
    parser.add_argument("--brief", action="store_true", help="one line per rule, without the scenarios")
    return parser


if __name__ == "__main__":
    sys.exit(main())
