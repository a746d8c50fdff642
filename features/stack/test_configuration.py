"""pytest binds the scenarios of configuration.feature (A tracker the suite starts is configured by the contract's variables alone); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("configuration.feature")
