#!/usr/bin/env bash
# Build the tracker and simulator images from this repository without network in `docker build`:
# `pip wheel` the project and its pinned dependencies on the host into .docker-build/wheels
# (ignored by git), copy docker/Dockerfile beside them, build both targets from that folder.
# Each image is labelled with a hash of its inputs (sources, pins, Dockerfile, base image);
# when the tagged image already carries that hash nothing is rebuilt (FORCE=1 rebuilds).
#
#   docker/build-images.sh                                   # base python:3.11-slim
#   BASE_IMAGE=vn30-base:bookworm docker/build-images.sh     # the Debian-only local base
#   TRACKER_IMAGE=t:1 SIMULATOR_IMAGE=s:1 PYTHON=.venv/bin/python docker/build-images.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE_IMAGE="${BASE_IMAGE:-python:3.11-slim}"
TRACKER_IMAGE="${TRACKER_IMAGE:-vn30-tracker:dev}"
SIMULATOR_IMAGE="${SIMULATOR_IMAGE:-vn30-ssi-simulator:dev}"
CONTEXT="${CONTEXT:-$ROOT/.docker-build}"
PYTHON="${PYTHON:-python3}"
FORCE="${FORCE:-0}"
LABEL=org.vn30.inputs-hash

start=$(date +%s)
cd "$ROOT"
base_id="$(docker image inspect --format '{{.Id}}' "$BASE_IMAGE" 2>/dev/null || echo "$BASE_IMAGE")"
inputs_hash="$( { echo "$base_id"; cat pyproject.toml docker/Dockerfile docker/dockerignore;
                  find tracker ssi_simulator -name '*.py' -print0 | sort -z | xargs -0 sha256sum; } \
                | sha256sum | cut -c1-16)"

current() {  # the image exists and was built from these inputs
  [[ "$FORCE" != 1 ]] && [[ "$(docker image inspect --format "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null)" == "$inputs_hash" ]]
}
if current "$SIMULATOR_IMAGE" && current "$TRACKER_IMAGE"; then
  echo "images $SIMULATOR_IMAGE and $TRACKER_IMAGE are up to date (inputs $inputs_hash); FORCE=1 rebuilds"
  exit 0
fi

mkdir -p "$CONTEXT/wheels"
rm -f "$CONTEXT"/wheels/vn30_acceptance-*.whl   # the project itself is rebuilt every time
# Wheels already in the folder satisfy the pins, so re-runs only rebuild the project's wheel.
"$PYTHON" -m pip wheel -qq --wheel-dir "$CONTEXT/wheels" --find-links "$CONTEXT/wheels" "$ROOT"
cp docker/Dockerfile "$CONTEXT/Dockerfile"
cp docker/dockerignore "$CONTEXT/.dockerignore"
echo "wheels ready in $(( $(date +%s) - start )) s ($(ls "$CONTEXT/wheels" | wc -l) files in $CONTEXT/wheels)"

for pair in "ssi-simulator=$SIMULATOR_IMAGE" "tracker=$TRACKER_IMAGE"; do
  target="${pair%%=*}" image="${pair#*=}"
  docker build --quiet --build-arg "BASE_IMAGE=$BASE_IMAGE" --target "$target" --tag "$image" \
    --label "$LABEL=$inputs_hash" --label org.vn30.project=vn30-acceptance "$CONTEXT" >/dev/null \
    2> >(grep -v -e 'legacy builder is deprecated' -e 'buildx component' -e 'docs.docker.com/go/buildx' -e '^ *$' >&2)
  echo "built $image (target $target, base $BASE_IMAGE)"
done
# The images these replaced, now untagged (only ours, by label).
docker image prune --force --filter label=org.vn30.project=vn30-acceptance >/dev/null
echo "images built in $(( $(date +%s) - start )) s"
