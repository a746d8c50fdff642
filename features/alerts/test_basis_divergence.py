"""pytest binds the scenarios of basis_divergence.feature (Basis divergence alerts); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("basis_divergence.feature")
