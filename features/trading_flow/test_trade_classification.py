"""pytest binds the scenarios of trade_classification.feature (Classifying trades as active buying or active selling); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("trade_classification.feature")
