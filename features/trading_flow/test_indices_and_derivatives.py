"""pytest binds the scenarios of indices_and_derivatives.feature (Indices and VN30 futures); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("indices_and_derivatives.feature")
