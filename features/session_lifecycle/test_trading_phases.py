"""pytest binds the scenarios of trading_phases.feature (Trading phases and volume accounting); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("trading_phases.feature")
