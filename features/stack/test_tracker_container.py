"""pytest binds the scenarios of tracker_container.feature (The tracker's container restarts and stops without stranding dashboards); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("tracker_container.feature")
