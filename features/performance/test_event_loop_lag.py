"""pytest binds the scenarios of event_loop_lag.feature (Event-loop lag under a steady market); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("event_loop_lag.feature")
