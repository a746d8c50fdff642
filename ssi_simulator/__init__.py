"""SSI FastConnect stand-in: the real REST and SignalR protocol, plus a control API for tests."""

from __future__ import annotations

from . import frames, vn30
from .server import SimulatorServer

__all__ = ["SimulatorServer", "frames", "vn30"]
