"""pytest binds the scenarios of market_api.feature (The market for API callers); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("market_api.feature")
