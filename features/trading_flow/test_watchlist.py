"""pytest binds the scenarios of watchlist.feature (What the tracker follows); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("watchlist.feature")
