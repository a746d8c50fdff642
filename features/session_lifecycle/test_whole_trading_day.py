"""pytest binds the scenarios of whole_trading_day.feature (A whole trading day); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("whole_trading_day.feature")
