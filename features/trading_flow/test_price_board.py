"""pytest binds the scenarios of price_board.feature (Price board); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("price_board.feature")
