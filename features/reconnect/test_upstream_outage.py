"""pytest binds the scenarios of upstream_outage.feature (Surviving a loss of the exchange feed); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("upstream_outage.feature")
