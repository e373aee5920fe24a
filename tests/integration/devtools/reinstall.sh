#!/usr/bin/env bash
# By hand, until tests/integration/run.mjs is on main: build pkg/, pack it, install it here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
[ "${SKIP_BUILD:-}" = 1 ] || node "$root/scripts/build-pkg.mjs" ${BUILD_FLAGS:-}
mkdir -p "$root/tests/.tmp"
name=$(cd "$root/pkg" && npm pack --silent --pack-destination "$root/tests/.tmp" | tail -1)
mv "$root/tests/.tmp/$name" "$root/tests/.tmp/calhook.tgz"
rm -rf "$here/node_modules/calhook" "$here/package-lock.json"
cd "$here" && npm install --no-audit --no-fund
