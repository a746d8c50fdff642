"""Resident memory of a tracker, read from outside it (/proc), for [perf-memory] on any target."""

from __future__ import annotations

import os
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


def process_group_rss(pgid: int) -> int | None:
    """Bytes resident in every process of group `pgid` (a --sut-cmd may be a wrapper); None if none is left."""
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(fields[2]) == pgid:  # fields after the command: state, ppid, pgrp, ... rss is the 22nd
            total += int(fields[21]) * _PAGE
            found = True
    return total if found else None


def own_rss() -> int:
    """Bytes resident in this process (the wired tracker lives here, beside the suite)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE
