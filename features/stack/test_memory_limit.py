"""pytest binds the scenarios of memory_limit.feature (The tracker lives within the memory its container is given); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("memory_limit.feature")
