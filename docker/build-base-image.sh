#!/usr/bin/env bash
# Build a local Python base image from Debian alone (no container registry needed):
# debootstrap a minimal bookworm root file system with python3 + venv + pip, then
# `docker import` it. The image is reused when it already exists (FORCE=1 rebuilds).
#
#   docker/build-base-image.sh [IMAGE]        # default IMAGE: vn30-base:bookworm
#   MIRROR=http://deb.debian.org/debian FORCE=1 docker/build-base-image.sh
set -euo pipefail

IMAGE="${1:-${BASE_IMAGE_LOCAL:-vn30-base:bookworm}}"
SUITE="${SUITE:-bookworm}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
FORCE="${FORCE:-0}"

if [[ "$FORCE" != 1 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE present, reusing it (FORCE=1 to rebuild)"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "debootstrap needs root" >&2; exit 1; }

ROOTFS="$(mktemp -d /tmp/vn30-base-rootfs.XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT

start=$(date +%s)
echo "debootstrap $SUITE from $MIRROR into $ROOTFS"
debootstrap --variant=minbase \
  --include=python3,python3-venv,python3-pip,ca-certificates \
  "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 || {
    echo "debootstrap failed; last lines of $ROOTFS.log:" >&2; tail -20 "$ROOTFS.log" >&2; exit 1; }
rm -f "$ROOTFS.log"

# Slim the tree: package caches, docs and man pages are not needed at run time.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
       "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/* \
       "$ROOTFS"/tmp/* 2>/dev/null || true
# Same apt sources as an official image, for anyone extending it.
echo "deb $MIRROR $SUITE main" >"$ROOTFS/etc/apt/sources.list"

tar --numeric-owner -C "$ROOTFS" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  --message "debootstrap --variant=minbase $SUITE + python3, python3-venv, python3-pip" \
  - "$IMAGE" >/dev/null

echo "built $IMAGE in $(( $(date +%s) - start )) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
