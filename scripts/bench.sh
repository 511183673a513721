#!/usr/bin/env bash
# Runs the benchmarks in bench/ against the packed package, beside the alternatives they
# compare with (installed from bench/package.json into a scratch project). Numbers are
# printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
tarball=$(bash scripts/build.sh | tail -n 1)
scratch=target/bench
rm -rf "$scratch" && mkdir -p "$scratch"
cp bench/package.json bench/*.mjs "$scratch/"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "$tarball")
for bench in "$scratch"/*.mjs; do
  printf '\n=== %s\n' "$(basename "$bench")"
  node "$bench"
done
