"""One class per service of the stack, in the testcontainers style: fluent with_* methods, a URL, a wait strategy.

    with Network() as network, \
         SimulatorContainer("vn30-ssi-simulator:dev").with_network(network) as simulator, \
         TrackerContainer("vn30-tracker:dev").with_network(network).with_upstream(simulator) \
             .with_envs(WS_THROTTLE_INTERVAL_MS="20").with_memory_limit("256m") as tracker:
        httpx.get(f"{tracker.url}/health")
        tracker.docker_restart(timeout=10)      # docker stop/start/restart/pause as methods
        tracker.url                             # re-read: the mapped port after the restart

Ports are published on 127.0.0.1 only, on a host port chosen before the first start, so a
container keeps its URL across `docker stop`/`docker start` (the URL is re-read anyway).
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any, ClassVar, Self, cast

from testcontainers.core.container import DockerContainer
from testcontainers.core.network import Network
from testcontainers.core.wait_strategies import HttpWaitStrategy
from testcontainers.core.waiting_utils import WaitStrategyTarget

from support import faketime
from support.faketime import FakeClock

LOOPBACK = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.05
DEFAULT_STOP_TIMEOUT_S = 10
SUITE_LABEL = "org.vn30.suite"
OWNER_LABEL = "org.vn30.suite.owner"        # host:pid of the process that made it: leftovers are told apart
OWNER = f"{socket.gethostname()}:{os.getpid()}"
SUITE_LABELS = {SUITE_LABEL: "acceptance", OWNER_LABEL: OWNER}
FAKETIME_LIBRARY = "/opt/vn30-faketime/libfaketime.so.1"   # where the host's library appears in a container
FAKETIME_FOLDER = "/run/vn30-clock"                         # where the clock's file appears


class HealthWaitStrategy(HttpWaitStrategy):
    """HttpWaitStrategy that gives up as soon as the container has exited: a crash is not a slow start."""

    def __init__(self, port: int, path: str) -> None:
        super().__init__(port, path)
        self._watched: WaitStrategyTarget | None = None
        self.for_status_code(200).with_startup_timeout(int(STARTUP_TIMEOUT_S)).with_poll_interval(POLL_INTERVAL_S)

    def wait_until_ready(self, container: WaitStrategyTarget) -> None:
        self._watched = container
        try:
            super().wait_until_ready(container)
        except ConnectionError as error:  # an exited container has no port mapping: testcontainers says only that
            if (exited := _exit_report(container, "its health path answered 200")) is not None:
                raise exited from error
            raise
        finally:
            self._watched = None

    def _try_http_request(self, url: str, headers: dict[str, str], ssl_context: Any) -> bool:
        if super()._try_http_request(url, headers, ssl_context):
            return True
        if self._watched is not None and (exited := _exit_report(self._watched, f"{url} answered 200")) is not None:
            raise exited
        return False


def _exit_report(container: WaitStrategyTarget, before: str) -> RuntimeError | None:
    """The container's exit code and last output when it has exited (else None)."""
    wrapped = container.get_wrapped_container()
    wrapped.reload()
    if wrapped.status not in ("exited", "dead"):
        return None
    logs = wrapped.logs(tail=30).decode(errors="replace")
    return RuntimeError(f"container {wrapped.name} ({wrapped.image.tags or wrapped.image.id}) exited with code "
                        f"{wrapped.attrs['State']['ExitCode']} before {before}; its last output:\n{logs}")


class ServiceContainer(DockerContainer):
    """What both services share: a loopback port, readiness by HTTP status, docker stop/start/pause."""

    PORT: ClassVar[int]
    HEALTH_PATH: ClassVar[str]
    ALIAS: ClassVar[str]

    def __init__(self, image: str) -> None:
        super().__init__(image)
        self._host_port = _free_port()
        self.ports = cast("dict[str, int | None]", {f"{self.PORT}/tcp": (LOOPBACK, self._host_port)})
        self._kwargs.update(labels=dict(SUITE_LABELS))
        self.waiting_for(HealthWaitStrategy(self.PORT, self.HEALTH_PATH))

    # -- fluent configuration ------------------------------------------------------------------
    def with_network(self, network: Network) -> Self:
        """Join `network` under the service's alias (the name other containers use for it)."""
        super().with_network(network)
        return self.with_network_aliases(self.ALIAS)

    def with_memory_limit(self, limit: str) -> Self:
        """A hard memory limit without swap, in Docker's notation ("256m", "1g")."""
        self._kwargs.update(mem_limit=limit, memswap_limit=limit)
        return self

    # -- where it answers ----------------------------------------------------------------------
    def get_container_host_ip(self) -> str:
        return LOOPBACK  # published on the loopback interface only (see __init__)

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT, the mapped port read from the engine now (it may change on restart)."""
        return f"http://{LOOPBACK}:{self.mapped_port()}"

    @property
    def network_url(self) -> str:
        """The URL other containers on the network use."""
        return f"http://{self.ALIAS}:{self.PORT}/"

    def mapped_port(self) -> int:
        wrapped = self.get_wrapped_container()
        wrapped.reload()
        bindings = (wrapped.attrs["NetworkSettings"].get("Ports") or {}).get(f"{self.PORT}/tcp") or []
        if not bindings:
            raise RuntimeError(f"container {wrapped.name} publishes no port for {self.PORT} "
                               f"(status {wrapped.status}): start it first")
        return int(bindings[0]["HostPort"])

    # -- docker stop / start / restart / pause -------------------------------------------------
    def docker_stop(self, timeout: float = DEFAULT_STOP_TIMEOUT_S) -> float:
        """`docker stop -t timeout`: SIGTERM, SIGKILL after `timeout` s. Returns the seconds it took."""
        started = time.monotonic()
        self.get_wrapped_container().stop(timeout=int(timeout))
        return time.monotonic() - started

    def docker_start(self) -> Self:
        """`docker start` a stopped container and wait until it answers again."""
        self.get_wrapped_container().start()
        return self.wait_ready()

    def docker_restart(self, timeout: float = DEFAULT_STOP_TIMEOUT_S) -> Self:
        """`docker restart -t timeout` and wait until it answers again."""
        self.get_wrapped_container().restart(timeout=int(timeout))
        return self.wait_ready()

    def docker_pause(self) -> None:
        self.get_wrapped_container().pause()

    def docker_unpause(self) -> None:
        self.get_wrapped_container().unpause()

    def update_memory_limit(self, limit: str) -> None:
        """`docker update --memory limit --memory-swap limit` on the running container."""
        self.get_wrapped_container().update(mem_limit=limit, memswap_limit=limit)

    def wait_ready(self) -> Self:
        """Block until the service answers its health path with 200 (the wait strategy of start())."""
        HealthWaitStrategy(self.PORT, self.HEALTH_PATH).wait_until_ready(self)
        return self

    # -- what it says about itself -------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The engine's State of the container: Status, ExitCode, OOMKilled, Health..."""
        wrapped = self.get_wrapped_container()
        wrapped.reload()
        return dict(wrapped.attrs["State"])

    def log_tail(self, lines: int = 100) -> str:
        """The last `lines` of stdout and stderr, interleaved as the engine recorded them."""
        return cast("bytes", self.get_wrapped_container().logs(tail=lines, timestamps=True)).decode(errors="replace")


class SimulatorContainer(ServiceContainer):
    """The SSI FastConnect simulator: SSI routes and the control API on port 8080."""

    PORT = 8080
    HEALTH_PATH = "/control/state"
    ALIAS = "ssi-simulator"

    def __init__(self, image: str) -> None:
        super().__init__(image)
        self.consumer_id, self.consumer_secret = "vn30-consumer", "vn30-secret"

    def with_credentials(self, consumer_id: str, consumer_secret: str) -> Self:
        """The FastConnect consumer the simulator accepts (the image's command-line arguments)."""
        self.consumer_id, self.consumer_secret = consumer_id, consumer_secret
        return self.with_command(["--consumer-id", consumer_id, "--consumer-secret", consumer_secret])


class TrackerContainer(ServiceContainer):
    """The VN30 tracker, configured by the environment of [config-env] (docs/CONTRACT.md), on port 8000."""

    PORT = 8000
    HEALTH_PATH = "/health"
    ALIAS = "tracker"

    def with_credentials(self, consumer_id: str, consumer_secret: str) -> Self:
        return self.with_envs(SSI_CONSUMER_ID=consumer_id, SSI_CONSUMER_SECRET=consumer_secret)

    def with_upstream(self, simulator: SimulatorContainer) -> Self:
        """Listen to `simulator` (on the same network) with the credentials it accepts."""
        return self.with_credentials(simulator.consumer_id, simulator.consumer_secret).with_envs(
            SSI_BASE_URL=simulator.network_url, SSI_STREAM_URL=simulator.network_url)

    def with_faketime(self, clock: FakeClock) -> Self:
        """Run on `clock`: the host's libfaketime and the clock's folder mounted, the preload set.

        The image needs glibc (any Debian-based one); the folder is mounted, not the file, because
        the suite replaces the file at every move.
        """
        library = faketime.library_path()
        if library is None:
            raise RuntimeError(faketime.unavailable_reason())
        self.with_volume_mapping(str(library.resolve()), FAKETIME_LIBRARY, "ro")
        self.with_volume_mapping(str(clock.file.parent), FAKETIME_FOLDER, "ro")
        return self.with_envs(**clock.process_env(library=Path(FAKETIME_LIBRARY),
                                                  file=f"{FAKETIME_FOLDER}/{clock.file.name}"))


def _free_port() -> int:
    """A loopback port free now; Docker binds it when the container starts (a race we accept)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])
