"""pytest binds the scenarios of market_open.feature (The market-open burst); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("market_open.feature")
