"""@rule:<id> tags: the contract rules a scenario verifies, checked against docs/CONTRACT.md the same way in both runners.

    rule_id("rule:classify")    # 'classify'
    rule_id("smoke")            # None: not a rule tag
    problem = unknown_rule("rule:clasify", "features/x.feature:12", contract.load())
    # "features/x.feature:12: @rule:clasify names no rule of docs/CONTRACT.md"
    raise RuleTagError([problem], contract.load())   # the message lists the known ids

Selecting by rule: pytest `-m "rule(id='classify')"` (the tag is the marker `rule` with an
`id`), behave `--tags=@rule:classify` (`@rule:alert-*` for a family).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from support.contract import CONTRACT_DOC, Catalogue

MARKER = "rule"
PREFIX = f"{MARKER}:"


class RuleTagError(Exception):
    """Tags that name no rule of the contract: each problem with its place, then the ids there are."""

    def __init__(self, problems: Sequence[str], catalogue: Catalogue) -> None:
        known = textwrap.fill(", ".join(catalogue.ids), width=100, initial_indent="  ", subsequent_indent="  ",
                              break_on_hyphens=False)
        super().__init__("\n".join([*problems, f"Rule tags are @rule:<id>, with an id of {CONTRACT_DOC}:", known]))


def rule_id(tag: str) -> str | None:
    """The id a rule tag names ('' for a bare @rule or @rule:), None for any other tag (a tag without '@')."""
    if tag == MARKER:
        return ""
    return tag[len(PREFIX):] if tag.startswith(PREFIX) else None


def rule_ids(tags: Iterable[str]) -> list[str]:
    """The ids named by the rule tags among `tags`, each once, in order."""
    ids = [found for tag in tags if (found := rule_id(tag))]
    return list(dict.fromkeys(ids))


def unknown_rule(tag: str, where: str, catalogue: Catalogue) -> str | None:
    """What is wrong with a rule tag at `where` (a file:line), or None when it names a rule of the contract."""
    found = rule_id(tag)
    if found is None or found in catalogue:
        return None
    if not found:
        return f"{where}: @{tag} names no rule: write @rule:<id>"
    return f"{where}: @{tag} names no rule of {CONTRACT_DOC}"
