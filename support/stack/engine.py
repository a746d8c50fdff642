"""Is there a Docker engine to talk to? Asked once per run, so @docker scenarios skip with the reason."""

from __future__ import annotations

import contextlib
import os
import socket

from testcontainers.core.config import testcontainers_config
from testcontainers.core.docker_client import DockerClient, get_docker_host

PING_TIMEOUT_S = 5
# A fixed API version keeps the client from asking the engine for its version while it is being
# built (that failure leaks the socket); 1.24 is the oldest the SDK speaks, enough for ping and version.
PING_API_VERSION = "1.24"

# Ryuk (the reaper container) cannot be pulled on machines without a registry; the suite removes
# what it starts itself (context managers, finalizers). An explicit setting in the environment wins.
if "TESTCONTAINERS_RYUK_DISABLED" not in os.environ:
    testcontainers_config.ryuk_disabled = True


def docker_engine_available() -> tuple[bool, str]:
    """(True, "Docker engine <version> at <host>") when an engine answers, else (False, why not)."""
    where = get_docker_host() or "unix:///var/run/docker.sock"
    if where.startswith("unix://") and (problem := _unix_socket_problem(where.removeprefix("unix://"))):
        return False, f"no Docker engine answers at {where}: {problem}"
    try:  # any failure to reach the engine (no socket, refused, timeout, bad context) is a reason
        client = DockerClient(timeout=PING_TIMEOUT_S, version=PING_API_VERSION).client
    except Exception as error:  # noqa: BLE001 - the docker SDK raises more than DockerException here
        return False, f"no Docker engine answers at {where}: {_first_line(error)}"
    try:
        client.ping()
        version = client.version().get("Version", "?")
    except Exception as error:  # noqa: BLE001 - as above
        return False, f"the Docker engine at {where} does not answer: {_first_line(error)}"
    finally:
        client.close()
    return True, f"Docker engine {version} at {where}"


def _unix_socket_problem(path: str) -> str | None:
    """Why nothing listens on the engine's socket, or None (the SDK leaks its socket when connect fails)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(PING_TIMEOUT_S)
        try:
            probe.connect(path)
        except OSError as error:
            return f"{error.strerror or error} ({path})"
    return None


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def prune_suite_resources(*, owner: str | None) -> list[str]:
    """Remove the suite's containers and networks: those of `owner` (host:pid), or with None those
    whose owner is a process of this host that is gone (what an interrupted run left behind).

    Returns what was removed, for the log.
    """
    from support.stack.containers import OWNER_LABEL, SUITE_LABEL
    removed: list[str] = []
    try:
        client = DockerClient(timeout=PING_TIMEOUT_S, version=PING_API_VERSION).client
    except Exception:  # noqa: BLE001 - no engine: nothing of ours can be left on it
        return removed
    try:
        found = [*(("container", c) for c in client.containers.list(all=True, filters={"label": SUITE_LABEL})),
                 *(("network", n) for n in client.networks.list(filters={"label": SUITE_LABEL}))]
        for kind, thing in found:
            labels = (thing.attrs.get("Config") or {}).get("Labels") if kind == "container" else thing.attrs.get("Labels")
            made_by = (labels or {}).get(OWNER_LABEL, "")
            if (made_by == owner) if owner is not None else _gone(made_by):
                with contextlib.suppress(Exception):
                    thing.remove(force=True) if kind == "container" else thing.remove()
                    removed.append(f"{kind} {thing.name}")
    finally:
        client.close()
    return removed


def _gone(owner: str) -> bool:
    """True when `owner` (host:pid) is a process of this host that no longer runs (or no owner is known)."""
    host, _, pid = owner.rpartition(":")
    if not pid.isdigit():
        return True
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
