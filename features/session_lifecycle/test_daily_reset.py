"""pytest binds the scenarios of daily_reset.feature (Daily reset after the close); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("daily_reset.feature")
