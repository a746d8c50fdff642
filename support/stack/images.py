"""The tracker and simulator images: reused when current, otherwise built by docker/build-images.sh."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from testcontainers.core.docker_client import DockerClient

from support.errors import TargetError

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "docker" / "build-images.sh"
BASE_SCRIPT = ROOT / "docker" / "build-base-image.sh"
DEFAULT_TRACKER_IMAGE = "vn30-tracker:dev"
DEFAULT_SIMULATOR_IMAGE = "vn30-ssi-simulator:dev"
LOCAL_BASE_IMAGE = "vn30-base:bookworm"   # what docker/build-base-image.sh builds
OFFICIAL_BASE_IMAGE = "python:3.11-slim"  # the Dockerfile's default
BUILD_TIMEOUT_S = 600

# Environment: VN30_TRACKER_IMAGE / VN30_SIMULATOR_IMAGE use other images as they are (a team's own
# tracker image; never built here); VN30_DOCKER_REBUILD=1 rebuilds ours even when current;
# BASE_IMAGE chooses the base (default: the local Debian base when present, else python:3.11-slim).
TRACKER_IMAGE_ENV, SIMULATOR_IMAGE_ENV, REBUILD_ENV = "VN30_TRACKER_IMAGE", "VN30_SIMULATOR_IMAGE", "VN30_DOCKER_REBUILD"


@dataclass(frozen=True)
class StackImages:
    tracker: str
    simulator: str


_lock = threading.Lock()
_ready: StackImages | TargetError | None = None  # a failed build is not retried by every scenario


def ensure_images(*, rebuild: bool | None = None) -> StackImages:
    """The image tags to run, built once per process when ours are missing or stale.

    `rebuild` (default: VN30_DOCKER_REBUILD=1) forces a build of our images. Images named by
    VN30_TRACKER_IMAGE / VN30_SIMULATOR_IMAGE are only checked for presence.
    """
    global _ready
    force = os.environ.get(REBUILD_ENV, "") in ("1", "true", "yes") if rebuild is None else rebuild
    with _lock:
        if isinstance(_ready, TargetError) and not rebuild:
            raise _ready
        if isinstance(_ready, StackImages) and not rebuild:  # VN30_DOCKER_REBUILD forces the first build only
            return _ready
        images = StackImages(os.environ.get(TRACKER_IMAGE_ENV, DEFAULT_TRACKER_IMAGE),
                             os.environ.get(SIMULATOR_IMAGE_ENV, DEFAULT_SIMULATOR_IMAGE))
        ours = {DEFAULT_TRACKER_IMAGE, DEFAULT_SIMULATOR_IMAGE} & {images.tracker, images.simulator}
        try:
            if ours:
                with _across_processes():  # pytest-xdist's workers would build into one folder at once
                    _build(images, force=force)
            for image in {images.tracker, images.simulator} - ours:
                _require_present(image)
        except TargetError as error:
            _ready = error
            raise
        _ready = images
        return images


@contextlib.contextmanager
def _across_processes() -> Iterator[None]:
    """One image build at a time on this machine (an flock on a file beside the build folder), and none while
    .ci/docker.sh prepares the engine and the base image (CI runs it in the background: a build started
    meanwhile would find no local base and fall back to an image it cannot pull)."""
    preparing = Path(os.environ.get("DOCKER_SH_LOCK", Path(tempfile.gettempdir()) / "vn30-docker-sh.lock"))
    lock_path = Path(tempfile.gettempdir()) / "vn30-image-build.lock"
    with preparing.open("a") as prepared, lock_path.open("a") as lock:
        fcntl.flock(prepared, fcntl.LOCK_SH)  # .ci/docker.sh holds it exclusively while it runs
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            fcntl.flock(prepared, fcntl.LOCK_UN)


def base_image() -> str:
    """BASE_IMAGE if set; else the local Debian base when it exists; else the official image."""
    if chosen := os.environ.get("BASE_IMAGE"):
        return chosen
    return LOCAL_BASE_IMAGE if _present(LOCAL_BASE_IMAGE) else OFFICIAL_BASE_IMAGE


def _build(images: StackImages, *, force: bool) -> None:
    base = base_image()
    env = {**os.environ, "BASE_IMAGE": base, "TRACKER_IMAGE": images.tracker,
           "SIMULATOR_IMAGE": images.simulator, "PYTHON": sys.executable, "FORCE": "1" if force else "0"}
    try:
        done = subprocess.run(["bash", str(BUILD_SCRIPT)], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise TargetError(f"{BUILD_SCRIPT.relative_to(ROOT)} did not finish within {BUILD_TIMEOUT_S} s") from None
    if done.returncode != 0:
        hint = (f"; build the local base first: {BASE_SCRIPT.relative_to(ROOT)} (or set BASE_IMAGE)"
                if base == OFFICIAL_BASE_IMAGE and not _present(base) else "")
        raise TargetError(f"building the images with base {base} failed (exit {done.returncode}){hint}:\n"
                          f"{(done.stdout + done.stderr)[-3000:]}")


def _require_present(image: str) -> None:
    if not _present(image):
        raise TargetError(f"image {image} is not present on this engine (pull or build it first)")


def _present(image: str) -> bool:
    client = DockerClient().client
    try:
        return bool(client.images.list(name=image))
    finally:
        client.close()
