#!/usr/bin/env bash
# Debian's libfaketime, which moves a tracker's wall and monotonic clocks (support/faketime.py).
# Without root or apt the suite falls back to the PyPI wheel `libfaketime` (wall clock only).
set -euo pipefail
sudo_() { if [[ $(id -u) == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
if ! command -v apt-get >/dev/null; then
  echo "libfaketime: no apt-get here; the suite uses the PyPI wheel's build instead" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { sudo_ apt-get install -y -qq --no-install-recommends libfaketime >/dev/null 2>&1 \
       || { sudo_ apt-get update -qq && sudo_ apt-get install -y -qq --no-install-recommends libfaketime >/dev/null; }; }; then
  echo "libfaketime: apt-get could not install it; the suite uses the PyPI wheel's build instead" >&2
fi
