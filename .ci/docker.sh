#!/usr/bin/env bash
# Docker for the @docker scenarios, idempotent and quick on re-runs:
#   1. docker.io and debootstrap from Debian when missing (apt-get update first);
#   2. dockerd in the background when no engine answers (log: $DOCKERD_LOG), waited for with a deadline;
#   3. the Debian-only base image (reused when present) and the tracker and simulator images
#      (rebuilt only when their inputs changed).
# Then `make suite-docker` runs `pytest --gherkin --target=docker -m "docker or smoke"`.
#
#   .ci/docker.sh               # all of it
#   .ci/docker.sh --base-only   # 1 and 2 and the base image: what takes long and needs no .venv
#                               # (.ci/run starts it in the background while the other stages run)
# Runs one at a time (a lock): a second run waits for the first, then finds its work done.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/vn30-dockerd.log}"
DOCKERD_DEADLINE_S="${DOCKERD_DEADLINE_S:-60}"
export BASE_IMAGE="${BASE_IMAGE:-vn30-base:bookworm}"
export PYTHON="${PYTHON:-$PWD/.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON=python3
started=$(date +%s)
step() { echo "[docker.sh +$(( $(date +%s) - started ))s] $*"; }
base_only=0
case "${1:-}" in
  "") ;;
  --base-only) base_only=1 ;;
  *) echo "usage: .ci/docker.sh [--base-only]" >&2; exit 2 ;;
esac

exec 9>"${DOCKER_SH_LOCK:-/tmp/vn30-docker-sh.lock}"
if ! flock -n 9; then
  step "another .ci/docker.sh is preparing Docker (.ci/run starts one in the background): waiting for it"
  flock 9
fi

sudo_() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if (( ${#missing[@]} )); then
  step "installing ${missing[*]}"
  sudo_ apt-get update -qq
  sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  if [[ "$BASE_IMAGE" == vn30-base:* ]] \
     && ! grep -qs "\"${BASE_IMAGE%%:*}\"" /var/lib/docker/image/overlay2/repositories.json; then
    # No engine, and none has held the base image: its root file system first (a minute of network and
    # disk that needs no engine), so the engine starts late and what probes for one meanwhile finds none.
    step "base root file system for $BASE_IMAGE"
    export BASE_ROOTFS="/tmp/vn30-base-rootfs.ci-$$"
    trap 'rm -rf "$BASE_ROOTFS"' EXIT
    docker/build-base-image.sh --rootfs "$BASE_ROOTFS"
  fi
  step "no Docker engine answers: starting dockerd (log $DOCKERD_LOG)"
  # overlay2 works on these machines; published ports default to the loopback interface; the engine
  # must not inherit the lock (fd 9), or it would hold it for as long as it runs, and runs in a session of
  # its own, so that ending this script's process group (.ci/run does, should the run end first) spares it.
  sudo_ bash -c "setsid nohup dockerd --storage-driver=overlay2 --ip=127.0.0.1 >>'$DOCKERD_LOG' 2>&1 9>&- &"
  deadline=$(( $(date +%s) + DOCKERD_DEADLINE_S ))
  until docker info >/dev/null 2>&1; do
    if (( $(date +%s) >= deadline )); then
      echo "dockerd did not answer within ${DOCKERD_DEADLINE_S} s; last lines of $DOCKERD_LOG:" >&2
      tail -20 "$DOCKERD_LOG" >&2
      exit 1
    fi
    sleep 0.5
  done
fi
step "engine: $(docker info --format 'Docker {{.ServerVersion}}, storage {{.Driver}}' 2>/dev/null || echo '?')"

if [[ "$BASE_IMAGE" == vn30-base:* ]]; then
  step "base image $BASE_IMAGE"
  docker/build-base-image.sh "$BASE_IMAGE"
fi
if (( base_only )); then
  step "done (base only)"
  exit 0
fi
step "images (base $BASE_IMAGE)"
docker/build-images.sh
step "done"
