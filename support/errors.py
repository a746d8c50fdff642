"""The few exceptions the suite raises on purpose, so both runners can tell a skip from a failure."""

from __future__ import annotations


class ScenarioSkip(Exception):
    """The scenario needs something the target lacks: skip it with this reason (never fail it)."""


class TargetError(RuntimeError):
    """A target could not be started or reached; the message names the command and its output."""


class PreconditionFailed(AssertionError):
    """A precondition of the run failed (support/preconditions.py): the tracker breaks the contract there."""


class PreconditionBroken(RuntimeError):
    """A precondition could not even be checked (an error of the suite or of the machine, not a verdict)."""
