"""pytest binds the scenarios of tracker_shutdown.feature (The tracker lets every screen go when it is told to stop); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("tracker_shutdown.feature")
