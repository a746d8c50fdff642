"""pytest binds the scenarios of exchange_feed_container.feature (Dashboards follow the exchange feed's container going away and coming back); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("exchange_feed_container.feature")
