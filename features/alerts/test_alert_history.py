"""pytest binds the scenarios of alert_history.feature (Alert history and de-duplication); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("alert_history.feature")
