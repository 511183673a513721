#!/usr/bin/env bash
# Load test (issue 9, item 6): the node:http example and the Worker example (miniflare) on
# 127.0.0.1, each sent N signed deliveries, valid and invalid mixed, by autocannon; every
# verdict checked, memory read after full GCs, throughput and p50/p99 latency reported
# (js-tests/load.test.mjs).
#
# Usage: bash scripts/load.sh [DELIVERIES]     5,000 per target by default (CI: about 15 s)
#        bash scripts/load.sh 100000           the long run
# Env:   PAYHOOK_TARBALL=path/to/payhook.tgz   test this tarball instead of building one
#        PAYHOOK_LOAD_CONNECTIONS=16           autocannon connections
# Prints node's TAP (`# pass N` / `# fail N`) and the results table, also written to
# target/load/results.md. autocannon is pinned in js-tests/load-tools/ and installed once
# into target/load-tools/; miniflare and esbuild come from the runtime tools
# (PAYHOOK_TOOLS, by default target/runtime-tools/tools from scripts/runtimes.sh), or are
# installed beside autocannon at the versions pinned there when those are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
deliveries=${1:-5000}
out=$root/target/load
mkdir -p "$out" && rm -f "$out/results.md"

# --- the package: a given tarball, or a fresh build (others build concurrently: lock) ------
tarball=${PAYHOOK_TARBALL:-}
if [ -z "$tarball" ]; then
  tarball=$out/payhook.tgz
  # build.sh rewrites pkg/ and target/npm/: copy its tarball out before releasing the lock.
  if ! flock /tmp/payhook-build.lock sh -c 'set -e; built=$(bash scripts/build.sh | tail -n 1); cp "$built" "$1"' _ "$tarball"; then
    echo "load: the build failed"; echo "load: 0 passed, 1 failed"; exit 1
  fi
fi
[ -f "$tarball" ] || { echo "load: no tarball at $tarball"; echo "load: 0 passed, 1 failed"; exit 1; }
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

# --- tools, installed once ---------------------------------------------------------------
tools=$root/target/load-tools
want=$(cat js-tests/load-tools/package.json js-tests/load-tools/package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat "$tools/.stamp" 2>/dev/null)" = "$want" ] && [ -f "$tools/node_modules/autocannon/package.json" ]; then
  echo "load tools: cached in $tools"
else
  echo "load tools: installing into $tools"
  rm -rf "$tools" && mkdir -p "$tools"
  cp js-tests/load-tools/package.json js-tests/load-tools/package-lock.json "$tools/"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error)
  echo "$want" > "$tools/.stamp"
fi
runtime_tools=${PAYHOOK_TOOLS:-$root/target/runtime-tools/tools}
if [ ! -f "$runtime_tools/node_modules/miniflare/package.json" ] || [ ! -f "$runtime_tools/node_modules/esbuild/package.json" ]; then
  runtime_tools=$tools
  if [ ! -f "$tools/node_modules/miniflare/package.json" ] || [ ! -f "$tools/node_modules/esbuild/package.json" ]; then
    pinned() { node -p "require('./js-tests/runtimes/package.json').dependencies['$1']"; }
    echo "load tools: installing miniflare and esbuild into $tools"
    (cd "$tools" && npm install --no-audit --no-fund --loglevel=error "miniflare@$(pinned miniflare)" "esbuild@$(pinned esbuild)")
  fi
fi

# --- the scratch project: the tarball installed as a user would --------------------------
scratch=$out/scratch
rm -rf "$scratch" && mkdir -p "$scratch"
cp -r js-tests examples "$scratch/"
echo '{ "name": "payhook-load", "private": true, "type": "module" }' > "$scratch/package.json"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "$tarball")

# --- run -------------------------------------------------------------------------------------
start=$SECONDS
status=0
PAYHOOK_TOOLS=$runtime_tools PAYHOOK_LOAD_TOOLS=$tools PAYHOOK_LOAD_DELIVERIES=$deliveries \
  PAYHOOK_LOAD_RESULTS=$out/results.md CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false \
  node --test --test-reporter=tap "$scratch/js-tests/load.test.mjs" || status=$?
echo
cat "$out/results.md" 2>/dev/null || echo "load: no results table (see above)"
echo "load: $deliveries deliveries per target in $((SECONDS - start)) s"
exit "$status"
