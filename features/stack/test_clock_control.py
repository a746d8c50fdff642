"""pytest binds the scenarios of clock_control.feature (The reference tracker's test control moves its clock, and exists only when asked for); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("clock_control.feature")
