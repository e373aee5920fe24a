#!/usr/bin/env bash
# Prints the path of a Chromium for the browser tests, installing Debian's `chromium` package
# when it is missing and this is root with apt-get (a fresh CI container). Otherwise it says
# exactly what to install. Messages go to stderr; stdout is only the path.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; exit 0; fi
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
  exit 1
fi
for name in chromium chromium-browser; do
  if path=$(command -v "$name" 2>/dev/null); then echo "$path"; exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (apt-get install chromium)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  command -v chromium
  exit 0
fi
cat >&2 <<'MSG'
make test needs Chromium for the browser tests (headless, driven by playwright-core).
Install it, then run make test again:
  Debian/Ubuntu:  sudo apt-get install chromium
  Fedora:         sudo dnf install chromium
  macOS:          brew install --cask chromium
or point CHROMIUM_PATH at an existing Chromium or Chrome binary:
  make test CHROMIUM_PATH=/path/to/chromium
MSG
exit 1
