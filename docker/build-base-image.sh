#!/usr/bin/env bash
# Build a local Python base image from Debian alone (no container registry needed):
# debootstrap a minimal bookworm root file system with python3 + venv + pip, then
# `docker import` it. The image is reused when it already exists (FORCE=1 rebuilds).
#
#   docker/build-base-image.sh [IMAGE]        # default IMAGE: vn30-base:bookworm
#   MIRROR=http://deb.debian.org/debian FORCE=1 docker/build-base-image.sh
#   docker/build-base-image.sh --rootfs DIR              # only the root file system (no engine needed):
#   BASE_ROOTFS=DIR docker/build-base-image.sh [IMAGE]   # the slow part first, imported (and removed) later
set -euo pipefail

SUITE="${SUITE:-bookworm}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
FORCE="${FORCE:-0}"

make_rootfs() {  # debootstrap a slim root file system into $1
  command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; return 1; }
  [[ $(id -u) == 0 ]] || { echo "debootstrap needs root" >&2; return 1; }
  echo "debootstrap $SUITE from $MIRROR into $1"
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-pip,ca-certificates \
    "$SUITE" "$1" "$MIRROR" >"$1.log" 2>&1 || {
      echo "debootstrap failed; last lines of $1.log:" >&2; tail -20 "$1.log" >&2; return 1; }
  rm -f "$1.log"

  # Slim the tree: package caches, docs and man pages are not needed at run time.
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* \
         "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/* \
         "$1"/tmp/* 2>/dev/null || true
  # Same apt sources as an official image, for anyone extending it.
  echo "deb $MIRROR $SUITE main" >"$1/etc/apt/sources.list"
}

if [[ "${1:-}" == --rootfs ]]; then
  dir="${2:?usage: docker/build-base-image.sh --rootfs DIR}"
  start=$(date +%s)
  mkdir -p "$dir"
  make_rootfs "$dir" || { rm -rf "$dir"; exit 1; }
  echo "root file system ready in $dir in $(( $(date +%s) - start )) s"
  exit 0
fi

IMAGE="${1:-${BASE_IMAGE_LOCAL:-vn30-base:bookworm}}"
if [[ "$FORCE" != 1 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE present, reusing it (FORCE=1 to rebuild)"
  [[ -z "${BASE_ROOTFS:-}" ]] || rm -rf "$BASE_ROOTFS"
  exit 0
fi

start=$(date +%s)
if [[ -n "${BASE_ROOTFS:-}" && -x "$BASE_ROOTFS/usr/bin/python3" ]]; then
  ROOTFS="$BASE_ROOTFS"
  trap 'rm -rf "$ROOTFS"' EXIT
  echo "root file system from $ROOTFS"
else
  ROOTFS="$(mktemp -d /tmp/vn30-base-rootfs.XXXXXX)"
  trap 'rm -rf "$ROOTFS"' EXIT
  make_rootfs "$ROOTFS"
fi

tar --numeric-owner -C "$ROOTFS" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  --message "debootstrap --variant=minbase $SUITE + python3, python3-venv, python3-pip" \
  - "$IMAGE" >/dev/null

echo "built $IMAGE in $(( $(date +%s) - start )) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
