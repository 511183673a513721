#!/usr/bin/env bash
# Benchmarks payhook against what JS receivers are built from today, in one run: signature
# checks (node:crypto, WebCrypto, @noble/hashes, standardwebhooks' HMAC), address checks
# (ipaddr.js, proxy-addr), parse + validate (zod, ajv), the whole delivery in Node and in
# workerd (miniflare), size and start-up, and wasm memory over many deliveries.
#
#   bash scripts/bench.sh                  # builds and packs payhook first (scripts/build.sh)
#   bash scripts/bench.sh path/to/payhook-x.y.z.tgz   # benchmarks that tarball, no build
#
# The alternatives are pinned in bench/package.json and installed beside the packed package
# in target/bench (kept between runs; npm only fetches what is missing). Writes
# target/bench/results.json, target/bench/results.md (the README table) and docs/bench.svg.
# Prints numbers; asserts nothing about speed. BENCH_QUICK=1 for a short smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ge 1 ]; then
  tarball=$(realpath "$1")
  [ -f "$tarball" ] || { echo "bench: no tarball at $1" >&2; exit 1; }
else
  bash scripts/setup.sh
  tarball=$(realpath "$(bash scripts/build.sh | tail -n 1)")
fi

scratch=target/bench
mkdir -p "$scratch"
# The bench code afresh; node_modules stays, so a second run installs nothing new.
rm -rf "$scratch/lib" "$scratch/groups" "$scratch/workerd" "$scratch/out" "$scratch"/*.mjs
cp -r bench/lib bench/groups bench/workerd bench/*.mjs bench/package.json "$scratch/"
echo "[bench] installing the alternatives (bench/package.json) and $(basename "$tarball") into $scratch"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "$tarball")
[ -f "$scratch/node_modules/payhook/package.json" ] || { echo "bench: payhook did not install" >&2; exit 1; }

flags=()
if [ "${BENCH_QUICK:-}" = 1 ]; then flags+=(--quick); fi
node "$scratch/run.mjs" --repo "$PWD" --tarball "$tarball" --svg "$PWD/docs/bench.svg" "${flags[@]}"
