"""pytest binds the scenarios of robustness.feature (Robustness against bad input); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("robustness.feature")
