"""pytest binds the scenarios of volume_spike.feature (Volume spike alerts); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("volume_spike.feature")
