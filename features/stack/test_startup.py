"""pytest binds the scenarios of startup.feature (The tracker comes up in containers beside its exchange feed); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("startup.feature")
