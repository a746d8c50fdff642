"""pytest binds the scenarios of foreign_acceleration.feature (Foreign acceleration alerts); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("foreign_acceleration.feature")
