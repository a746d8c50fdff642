"""The rule catalogue read from docs/CONTRACT.md: ids by section, refused malformed documents, links to rules."""

from __future__ import annotations

import re

import pytest

from support import contract
from support.contract import ContractError, parse

SMALL = """
# A contract

Intro that mentions **[alpha]** without defining it.

## 1. Upstream (the simulator)

### [sim-feed]
**The feed.** It feeds.

## 2. Configuration

### [alpha]
**Alpha rule.** Alpha holds.

### [beta-two]

Beta holds too (no bold title).

## 10. Later

#### [gamma]
**Gamma** (deeper heading).
"""


def test_rules_come_with_their_section_title_and_line() -> None:
    catalogue = parse(SMALL)
    assert catalogue.ids == ("sim-feed", "alpha", "beta-two", "gamma")
    alpha = catalogue.get("alpha")
    assert alpha is not None
    assert (alpha.section, alpha.section_title, alpha.title, alpha.line) == (2, "Configuration", "Alpha rule", 13)
    assert catalogue.get("beta-two") is not None and catalogue.get("beta-two").title == ""  # type: ignore[union-attr]
    assert catalogue.get("gamma").section == 10  # type: ignore[union-attr]
    assert catalogue.get("missing") is None


def test_only_section_one_is_the_simulators() -> None:
    catalogue = parse(SMALL)
    assert catalogue.tracker_ids == ("alpha", "beta-two", "gamma")
    assert "sim-feed" in catalogue and "sim-feed" not in catalogue.tracker_ids


@pytest.mark.parametrize(("text", "complaint"), [
    ("### [alpha]\n## 1. Later\n", "docs/CONTRACT.md:1: rule [alpha] comes before any numbered section"),
    ("## 2. X\n### [alpha]\n### [alpha]\n", "docs/CONTRACT.md:3: rule [alpha] is defined twice"),
    ("## 2. X\n### [Alpha_1]\n", "docs/CONTRACT.md:2: rule id [Alpha_1] is not lower-case words joined by '-'"),
    ("## 2. X\n### [alpha] and more\n", "docs/CONTRACT.md:2: a rule heading holds its id only"),
    ("## 2. X\n\n- [alpha] a bullet, not a heading\n", "docs/CONTRACT.md: no rule headings"),
])
def test_a_malformed_contract_is_refused_naming_the_line(text: str, complaint: str) -> None:
    with pytest.raises(ContractError) as refused:
        parse(text)
    assert str(refused.value).startswith(complaint)


def test_the_projects_contract_has_tracker_rules_in_sections_two_to_seven() -> None:
    catalogue = contract.load()
    sections = {rule.section for rule in catalogue.rules}
    assert sections == {1, 2, 3, 4, 5, 6, 7}
    assert all(rule_id.startswith("sim-") for rule_id in catalogue.ids if rule_id not in catalogue.tracker_ids)
    assert {"classify", "ws-queue", "config-env", "test-clock", "soak"} <= set(catalogue.tracker_ids)
    untitled = [rule.id for rule in catalogue.rules if not rule.title]
    assert not untitled, f"rules of docs/CONTRACT.md without a bold title: {untitled}"


def test_every_cross_reference_of_the_contract_opens_a_rule() -> None:
    text = contract.CONTRACT_PATH.read_text(encoding="utf-8")
    anchors = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert anchors, "the contract links rules to each other"
    assert anchors <= set(contract.load().ids), f"links to no rule: {sorted(anchors - set(contract.load().ids))}"


@pytest.mark.parametrize(("env", "url"), [
    ({"CONTRACT_URL": "https://docs.example.com/CONTRACT.html"}, "https://docs.example.com/CONTRACT.html#classify"),
    ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "team/vn30", "GITHUB_SHA": "abc123"},
     "https://github.com/team/vn30/blob/abc123/docs/CONTRACT.md#classify"),
    ({}, f"{contract.CONTRACT_PATH.as_uri()}#classify"),
])
def test_a_rule_links_to_the_published_contract_else_to_this_checkouts(env: dict[str, str], url: str) -> None:
    assert contract.rule_url("classify", env) == url
