"""pytest binds the scenarios of rest_polling.feature (Foreign-flow screens polling under load); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("rest_polling.feature")
