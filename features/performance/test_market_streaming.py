"""pytest binds the scenarios of market_streaming.feature (Dashboards streaming the market under load); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("market_streaming.feature")
