#!/usr/bin/env bash
# The framework examples as users get them (issue 16): every examples/*/payhook-example.json
# project copied to target/frameworks/<dir>, installed with the packed tarball (dependencies
# cached in ~/.cache/payhook-examples by a hash of package.json), built, started and sent real
# deliveries with the CLI (js-tests/frameworks.test.mjs). Prints node's TAP (`# pass N` /
# `# fail N`) and a table of install, build and start times (also target/frameworks/timings.md).
#
# Usage: bash scripts/frameworks.sh [TARBALL]      without one, builds the package first
# Env:   PAYHOOK_EXAMPLES=fastify,h3               only these example directories
#        PAYHOOK_EXAMPLES_JOBS=2                   installs and builds at once
#        PAYHOOK_EXAMPLES_CACHE=~/.cache/payhook-examples
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
tarball=${1:-}
if [ -z "$tarball" ]; then
  tarball=$(bash scripts/build.sh | tail -n 1)
fi
[ -f "$tarball" ] || { echo "frameworks: no tarball at $tarball"; echo "# pass 0"; echo "# fail 1"; exit 1; }
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

PAYHOOK_TARBALL=$tarball PAYHOOK_ROOT=$root node --test --test-reporter=tap js-tests/frameworks.test.mjs
status=$?
[ -f target/frameworks/timings.md ] && cat target/frameworks/timings.md
exit $status
