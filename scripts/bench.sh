#!/usr/bin/env bash
# Benchmarks payhook against what JS receivers are built from today, in one run: signature
# checks (node:crypto, WebCrypto, @noble/hashes, standardwebhooks' HMAC), address checks
# (ipaddr.js, proxy-addr), parse + validate (zod, ajv), the whole delivery in Node and in
# workerd (miniflare), size and start-up, and wasm memory over many deliveries.
#
#   bash scripts/bench.sh                  # builds and packs payhook first (scripts/build.sh)
#   bash scripts/bench.sh path/to/payhook-x.y.z.tgz   # benchmarks that tarball, no build
#
# The alternatives are pinned in bench/js/package.json and installed beside the packed package
# in target/bench (kept between runs; npm only fetches what is missing). Writes
# target/bench/results.json, target/bench/results.md (copied to docs/bench-results.md) and docs/bench.svg.
# Prints numbers; asserts nothing about speed. BENCH_QUICK=1 for a short smoke run.
#
# First the core natively (bench/native/core.rs, divan) with sha2's portable SHA-256 forced, the
# code the wasm runs: its table goes to target/bench/native.txt and its 1 MiB signature number
# to target/bench/native.json, which the report sets beside the wasm's (wasm ÷ native). It is
# built from this working tree, in target/bench-native (the cfg flag would otherwise rebuild
# everything in target/). BENCH_NATIVE=0 skips it.
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
cp -r bench/js/. "$scratch/"
echo "[bench] installing the alternatives (bench/js/package.json) and $(basename "$tarball") into $scratch"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "$tarball")
[ -f "$scratch/node_modules/payhook/package.json" ] || { echo "bench: payhook did not install" >&2; exit 1; }

flags=() native_flags=() native_rounds=41
if [ "${BENCH_QUICK:-}" = 1 ]; then flags+=(--quick); native_flags+=(--sample-count 10); native_rounds=11; fi

rm -f "$scratch/native.json" "$scratch/native.txt"
if [ "${BENCH_NATIVE:-1}" != 0 ]; then
  echo "[bench] native: cargo bench --bench core, portable SHA-256 (target/bench-native)"
  if ! PATH="$HOME/.cargo/bin:$PATH" RUSTFLAGS="${RUSTFLAGS:-} --cfg sha2_backend=\"soft\"" \
    CARGO_TARGET_DIR=target/bench-native PAYHOOK_NATIVE_JSON="$PWD/$scratch/native.json" \
    PAYHOOK_NATIVE_ROUNDS="$native_rounds" cargo bench --quiet --bench core -- "${native_flags[@]}" 2>&1 | tee "$scratch/native.txt"; then
    echo "[bench] the native bench failed: the report leaves out the wasm ÷ native ratio" >&2
  fi
fi
node "$scratch/run.mjs" --repo "$PWD" --tarball "$tarball" --svg "$PWD/docs/bench.svg" "${flags[@]}"
# The full tables beside the chart, for the README to link.
cp "$scratch/results.md" docs/bench-results.md
