"""Binds every feature under features/ to pytest; the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios(".")
