"""pytest binds the scenarios of processing_throughput.feature (Processing throughput); the steps come from steps/ through the root conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("processing_throughput.feature")
