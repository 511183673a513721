#!/usr/bin/env bash
# Benchmarks payhook against what JS receivers are built from today, in one run: signature
# checks (node:crypto, WebCrypto, @noble/hashes, standardwebhooks' HMAC), address checks
# (ipaddr.js, proxy-addr), parse + validate (zod, ajv), the whole delivery in Node and in
# workerd (miniflare), size and start-up, and wasm memory over many deliveries.
#
#   bash scripts/bench.sh                  # builds and packs payhook first (scripts/build.sh)
#   bash scripts/bench.sh path/to/payhook-x.y.z.tgz   # benchmarks that tarball, no build
#   bash scripts/bench.sh --before OLD.tgz [NEW.tgz]  # and issue 14's rows, OLD beside NEW
#
# --before OLD.tgz installs OLD beside the package as node_modules/payhook-before and first runs
# bench/js/compare.mjs: issue 14's target rows (wasm compiled by import, delivery vs the Node
# stack and vs the floor, parseR2Event vs zod, building blocks vs the receiver, fresh-process
# start, workerd, Chromium) for OLD and NEW, interleaved in one run. Its section, "Issue 14:
# before and after", goes at the top of docs/bench-results.md, above the full tables.
# BENCH_COMPARE_ONLY=1 (with --before): only that section; the full tables already in
# docs/bench-results.md are kept as they are, and the native bench and run.mjs are skipped.
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

before=
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --before) [ $# -ge 2 ] || { echo "bench: --before needs a tarball" >&2; exit 1; }; before=$2; shift 2 ;;
    --before=*) before=${1#--before=}; shift ;;
    -*) echo "bench: unknown option $1" >&2; exit 1 ;;
    *) positional+=("$1"); shift ;;
  esac
done
if [ -n "$before" ]; then
  [ -f "$before" ] || { echo "bench: no tarball at $before (--before)" >&2; exit 1; }
  before_given=$before
  before=$(realpath "$before")
fi
compare_only=${BENCH_COMPARE_ONLY:-0}
[ "$compare_only" != 1 ] || [ -n "$before" ] || { echo "bench: BENCH_COMPARE_ONLY=1 needs --before" >&2; exit 1; }

if [ ${#positional[@]} -ge 1 ]; then
  tarball=$(realpath "${positional[0]}")
  [ -f "$tarball" ] || { echo "bench: no tarball at ${positional[0]}" >&2; exit 1; }
else
  bash scripts/setup.sh
  tarball=$(realpath "$(bash scripts/build.sh | tail -n 1)")
fi

scratch=target/bench
mkdir -p "$scratch"
# The bench code afresh; node_modules stays, so a second run installs nothing new.
rm -rf "$scratch/lib" "$scratch/groups" "$scratch/workerd" "$scratch/out" "$scratch"/*.mjs
cp -r bench/js/. "$scratch/"
# The tarballs copied first: what is installed and what is hashed in the report are the same
# bytes even if a build replaces the original meanwhile.
rm -rf "$scratch/tarballs"
mkdir -p "$scratch/tarballs/after"
cp -p "$tarball" "$scratch/tarballs/after/"
tarball=$PWD/$scratch/tarballs/after/$(basename "$tarball")
installs=("$tarball")
if [ -n "$before" ]; then
  mkdir -p "$scratch/tarballs/before"
  cp -p "$before" "$scratch/tarballs/before/"
  before=$PWD/$scratch/tarballs/before/$(basename "$before")
  installs+=("payhook-before@file:$before")
fi
echo "[bench] installing the alternatives (bench/js/package.json) and ${installs[*]##*/} into $scratch"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "${installs[@]}")
[ -f "$scratch/node_modules/payhook/package.json" ] || { echo "bench: payhook did not install" >&2; exit 1; }
if [ -n "$before" ] && [ ! -f "$scratch/node_modules/payhook-before/package.json" ]; then
  # npm did not take the alias: unpack the tarball there by hand.
  echo "[bench] npm did not install payhook-before: unpacking $before into node_modules/payhook-before"
  rm -rf "$scratch/node_modules/payhook-before" && mkdir -p "$scratch/node_modules/payhook-before"
  tar xzf "$before" -C "$scratch/node_modules/payhook-before" --strip-components=1
fi

flags=() native_flags=() native_rounds=41
if [ "${BENCH_QUICK:-}" = 1 ]; then flags+=(--quick); native_flags+=(--sample-count 10); native_rounds=11; fi

rm -f "$scratch/compare.json" "$scratch/compare.md"
if [ -n "$before" ]; then
  echo "[bench] issue 14: $(basename "$before") (before) beside $(basename "$tarball") (after), interleaved"
  command="bash scripts/bench.sh --before $before_given${positional[0]:+ ${positional[0]}}"
  [ "$compare_only" != 1 ] || command="BENCH_COMPARE_ONLY=1 $command"
  [ "${BENCH_QUICK:-}" != 1 ] || command="BENCH_QUICK=1 $command"
  node "$scratch/compare.mjs" --before "$scratch/node_modules/payhook-before" --after "$scratch/node_modules/payhook" \
    --before-tarball "$before" --after-tarball "$tarball" --command "$command" "${flags[@]}"
fi
# The full tables: kept as they are with BENCH_COMPARE_ONLY=1 (the old issue 14 section, if
# any, above its end marker, is dropped); measured afresh otherwise.
marker='<!-- end of the issue 14 section'
if [ "$compare_only" = 1 ]; then
  full=$(if grep -q "^$marker" docs/bench-results.md; then sed "1,/^$marker/d" docs/bench-results.md | sed '1{/^$/d}'; else cat docs/bench-results.md; fi)
  { cat "$scratch/compare.md"; printf '%s\n' "$full"; } > docs/bench-results.md
  echo "[bench] wrote docs/bench-results.md (issue 14 section; the full tables kept)"
  exit 0
fi

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
# The full tables beside the chart, for the README to link; issue 14's section above them.
if [ -n "$before" ]; then
  cat "$scratch/compare.md" "$scratch/results.md" > docs/bench-results.md
else
  cp "$scratch/results.md" docs/bench-results.md
fi
