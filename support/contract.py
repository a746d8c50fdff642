"""The contract's rule ids, read from docs/CONTRACT.md: the one list both runners and the coverage report check tags against.

    from support import contract
    catalogue = contract.load()
    catalogue.tracker_ids          # ('config-env', ..., 'soak'): sections 2-7, each needs a scenario
    "classify" in catalogue        # True
    contract.rule_url("classify")  # where a report links the rule (CONTRACT_URL overrides the base)

A rule is a heading that holds only its id in brackets (`### [classify]`), inside a numbered
section (`## 3. Processing rules`); the heading's anchor is the id, so CONTRACT.md#classify
opens it. Section 1 is the simulator's; every other section holds tracker rules.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_PATH = ROOT / "docs" / "CONTRACT.md"
CONTRACT_DOC = "docs/CONTRACT.md"  # how users and messages name it
SIMULATOR_SECTION = 1
ID_FORM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SECTION = re.compile(r"^##\s+(\d+)\.\s+(.+?)\s*$")
_RULE = re.compile(r"^#{3,6}\s+\[([^\]]*)\]\s*$")
_RULE_LIKE = re.compile(r"^#{3,6}\s+\[")
_TITLE = re.compile(r"^\*\*(.+?)\*\*")


class ContractError(ValueError):
    """docs/CONTRACT.md cannot be read as a catalogue of rules (the message names the line)."""


@dataclass(frozen=True)
class Rule:
    id: str
    section: int
    section_title: str
    title: str
    line: int

    @property
    def for_tracker(self) -> bool:
        """Tracker rules (sections 2-7) must each be verified by a scenario; section 1 is the simulator's."""
        return self.section != SIMULATOR_SECTION


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[Rule, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    @property
    def tracker_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules if rule.for_tracker)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)


def parse(text: str, source: str = CONTRACT_DOC) -> Catalogue:
    """The rules of a contract document, in the order they appear; ContractError on a malformed one."""
    rules: list[Rule] = []
    section: tuple[int, str] | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if heading := _SECTION.match(line):
            section = (int(heading.group(1)), heading.group(2))
            continue
        where = f"{source}:{number}"
        if not (heading := _RULE.match(line)):
            if _RULE_LIKE.match(line):
                raise ContractError(f"{where}: a rule heading holds its id only ('### [classify]'), so that "
                                    f"#<id> opens it: {line.strip()!r}")
            continue
        rule_id = heading.group(1)
        if not ID_FORM.fullmatch(rule_id):
            raise ContractError(f"{where}: rule id [{rule_id}] is not lower-case words joined by '-' (like [ws-queue])")
        if section is None:
            raise ContractError(f"{where}: rule [{rule_id}] comes before any numbered section ('## 1. ...')")
        if any(rule.id == rule_id for rule in rules):
            raise ContractError(f"{where}: rule [{rule_id}] is defined twice")
        rules.append(Rule(rule_id, section[0], section[1], _title(lines[number:]), number))
    if not rules:
        raise ContractError(f"{source}: no rule headings (a heading holding only an id, like '### [classify]')")
    return Catalogue(tuple(rules))


@functools.cache
def load(path: Path = CONTRACT_PATH) -> Catalogue:
    """The catalogue of docs/CONTRACT.md (read once per process)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContractError(f"cannot read the contract {path}: {error}") from None
    return parse(text, source=CONTRACT_DOC if path == CONTRACT_PATH else str(path))


def rule_url(rule_id: str, env: Mapping[str, str] = os.environ) -> str:
    """Where a report links a rule: CONTRACT_URL, else the file on GitHub at the CI run's commit, else this checkout's file."""
    if base := env.get("CONTRACT_URL"):
        return f"{base}#{rule_id}"
    if env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}/{CONTRACT_DOC}#{rule_id}"
    return f"{CONTRACT_PATH.as_uri()}#{rule_id}"


def _title(following: list[str]) -> str:
    """The bold lead-in of the rule's first line (`**Trade classification.**`), without its full stop."""
    first = next((line for line in following if line.strip()), "")
    title = _TITLE.match(first.strip())
    return title.group(1).rstrip(".") if title else ""
