"""What processing one message produced: the channels to republish and the new alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    """Downstream WebSocket channels whose state a message changed."""

    MARKET = "market"
    FOREIGN = "foreign"
    INDEX = "index"


ALL_CHANNELS = frozenset(Channel)


@dataclass(slots=True)
class ProcessResult:
    """`changed`: channels whose view changed; `alerts`: new deduplicated Alert dicts."""

    changed: set[Channel] = field(default_factory=set)
    alerts: list[dict[str, Any]] = field(default_factory=list)
