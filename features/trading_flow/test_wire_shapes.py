"""pytest binds the scenarios of wire_shapes.feature (Every answer and every message in the contract's shapes); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("wire_shapes.feature")
