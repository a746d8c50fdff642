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


def prune_suite_resources(label: str) -> list[str]:
    """Remove every container and network carrying `label` (what an interrupted run left behind).

    Called when a docker run starts and when it ends; returns what was removed, for the log.
    """
    removed: list[str] = []
    try:
        client = DockerClient(timeout=PING_TIMEOUT_S, version=PING_API_VERSION).client
    except Exception:  # noqa: BLE001 - no engine: nothing of ours can be left on it
        return removed
    try:
        for container in client.containers.list(all=True, filters={"label": label}):
            with contextlib.suppress(Exception):
                container.remove(force=True)
                removed.append(f"container {container.name}")
        for network in client.networks.list(filters={"label": label}):
            with contextlib.suppress(Exception):
                network.remove()
                removed.append(f"network {network.name}")
    finally:
        client.close()
    return removed
