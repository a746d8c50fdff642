"""pytest binds the scenarios of price_breakout.feature (Price breakout alerts); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("price_breakout.feature")
