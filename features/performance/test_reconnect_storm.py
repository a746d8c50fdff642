"""pytest binds the scenarios of reconnect_storm.feature (A reconnect storm); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("reconnect_storm.feature")
