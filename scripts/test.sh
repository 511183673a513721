#!/usr/bin/env bash
# Runs every payhook test, from a fresh clone or a warm one: installs what is missing, then
#   checks     cargo fmt, clippy (native and wasm32), rustdoc, cargo package, vectors reproducible
#   native     cargo test: the shared vectors, RFC 4231, doc examples
#   wasm       wasm-pack test --node bindings/js: the JS binding in a JS engine
#   fuzz       every cargo-fuzz target for 10 s, seeded from the vectors
#   wasm-chrome  the same in headless Chromium
#   runtimes   the packed npm tarball, installed into a scratch project, in Node 20/22/24
#              (ESM and CommonJS), Deno, Bun, workerd and Chromium: js-tests/suites/
#   examples   the Deno, Bun and Workers examples (Worker, Hono on Workers) started on
#              127.0.0.1 and sent real deliveries
#   frameworks every examples/*/payhook-example.json project (node:http, Express, Fastify, Hono,
#              h3, NestJS, Next.js, SvelteKit, React Router, axum) installed as a user would
#              with the tarball (installs cached in ~/.cache/payhook-examples), built, started
#              and sent real deliveries with the CLI, the raw-body mistake included
#   load       the node:http and Worker examples under autocannon: 5,000 signed deliveries
#              each, valid and invalid mixed, every verdict checked, memory after GC
#   memory     wasm memory, externref table and JS heap flat over 1,000,000 calls
#   fail-closed  Node-only rules: a socket reset under node:http, 1 and 4 GiB bodies, linear work
#   cli        the payhook command line: fixture, sign, send (with retries), verify
#   jest       require('payhook') under Jest's CommonJS runtime
#   redis      the Redis dedup store (node-redis, ioredis) on a real redis-server, and
#              several receiver processes behind a round-robin proxy sharing it
#   postgres   postgresStore on a real PostgreSQL (Debian's, initdb'd in a temp dir by the test):
#              50 concurrent copies, 200 events twice, rollback, SIGKILL at each point across
#              two receiver processes, the table made by racing processes, expiry
#   durable-object / deno-kv  the Workers and Deno dedup stores (miniflare; a local KV file)
#   validator  the browser validator page in Chromium (Playwright): results, no requests out
#   schemas    every fixture against the package's JSON Schemas (ajv), and broken ones
#   types      tsc --strict against the installed package's types
#   demo       the README's first command: real deliveries through a real local receiver
# and ends with a table and a `total: N passed, N failed` line. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
logs=target/test-logs
rm -rf "$logs" && mkdir -p "$logs"

bash scripts/setup.sh || { echo "setup failed"; echo "total: 0 passed, 1 failed"; exit 1; }

declare -a names passed failed

# record NAME PASSED FAILED
record() { names+=("$1"); passed+=("$2"); failed+=("$3"); }

# run_logged NAME COMMAND...: runs a command, streaming and keeping its output.
run_logged() {
  local name=$1; shift
  printf '\n=== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$logs/$name.log"
  return "${PIPESTATUS[0]}"
}

# Sums `test result: ok. N passed; M failed` lines (cargo, wasm-bindgen-test-runner).
cargo_counts() {
  awk '/test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
       END { printf "%d %d", p, f }' "$1"
}

# Reads the runtime matrix's closing `runtimes: N passed, N failed` line.
runtimes_counts() {
  awk '/^runtimes: [0-9]+ passed, [0-9]+ failed$/ { p = $2; f = $4 } END { printf "%d %d", p, f }' "$1"
}

# Reads Deno's closing `ok | N passed | N failed` line.
deno_counts() {
  awk '/^(ok|FAILED) \| [0-9]+ passed/ { p = $3; f = $6 } END { printf "%d %d", p, f }' "$1"
}

# Reads `# pass N` / `# fail N` from node's TAP reporter.
tap_counts() {
  awk '/^# pass / { p = $3 } /^# fail / { f = $3 } END { printf "%d %d", p, f }' "$1"
}

# A suite whose runner exited non-zero must count as failed even if it printed no counts.
suite() {
  local name=$1 parser=$2; shift 2
  run_logged "$name" "$@"; local status=$?
  read -r p f < <("$parser" "$logs/$name.log")
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$status" -eq 0 ] && [ "$p" -eq 0 ]; then f=$((f + 1)); echo "$name ran no test"; fi
  record "$name" "$p" "$f"
}

# --- checks ---------------------------------------------------------------------------
checks_pass=0 checks_fail=0
check() {
  local what=$1; shift
  if run_logged "check-$what" "$@"; then checks_pass=$((checks_pass + 1)); else checks_fail=$((checks_fail + 1)); echo "CHECK FAILED: $what"; fi
}
check fmt bash -c 'cargo fmt --check && cd fuzz && cargo fmt --check' 
check clippy-native cargo clippy --quiet --workspace --all-targets -- -D warnings
check clippy-wasm cargo clippy --quiet --all-targets -p payhook -p payhook-js --target wasm32-unknown-unknown -- -D warnings
check clippy-wasm-tools cargo clippy --quiet -p payhook-js --no-default-features --features tools --target wasm32-unknown-unknown -- -D warnings
check rustdoc env RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps
# serde_json's `preserve_order`, which any crate in a user's build may turn on, must not change
# a payload's text (its dedup key hashes it) nor the order of issues.
check preserve-order cargo test --quiet -p payhook --features serde_json/preserve_order
# The crate as crates.io would get it (the include list in Cargo.toml), built on its own.
check package cargo package --quiet -p payhook --allow-dirty
check vectors-reproducible node vectors/generate.mjs --check
check shapes-generated bash scripts/gen-shapes.sh --check
record checks "$checks_pass" "$checks_fail"

# --- Rust -------------------------------------------------------------------------------
suite native cargo_counts cargo test
suite wasm cargo_counts wasm-pack test --node bindings/js
fuzz_counts() {
  awk '/^fuzz: [0-9]+ passed, [0-9]+ failed$/ { p = $2; f = $4 } END { printf "%d %d", p, f }' "$1"
}
# Every fuzz target for 10 s (the long run is `bash scripts/fuzz.sh 600`).
suite fuzz fuzz_counts bash scripts/fuzz.sh 10

# --- the packed package in Node -----------------------------------------------------------
scratch=target/js-scratch
tarball=$(bash scripts/build.sh | tail -n 1)
if [ -f "$tarball" ]; then
  rm -rf "$scratch" && mkdir -p "$scratch"
  cp -r js-tests vectors examples "$scratch/"
  cp js-tests/package.json "$scratch/package.json"
  (cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "$tarball")
  # The portable suites in every runtime (installs Deno, Bun, miniflare, Node 22/24, Chromium).
  suite runtimes runtimes_counts bash scripts/runtimes.sh "$tarball"
  # The binding's wasm-bindgen tests in a real browser (Chromium and its driver from Debian,
  # installed above by the runtime matrix).
  suite wasm-chrome cargo_counts wasm-pack test --headless --chrome bindings/js --features browser-tests
  PAYHOOK_TOOLS=$root/target/runtime-tools/tools CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false \
    suite examples tap_counts node --test --test-reporter=tap "$scratch/js-tests/examples.test.mjs"
  # Every framework example as a project of its own, installed with the tarball, built, started
  # and sent real deliveries (installs cached in ~/.cache/payhook-examples; 2 builds at once).
  PAYHOOK_TARBALL=$tarball PAYHOOK_ROOT=$root \
    suite frameworks tap_counts node --test --test-reporter=tap "$scratch/js-tests/frameworks.test.mjs"
  # Load: both example receivers under autocannon, every verdict checked, memory after GC
  # (about 15 s; the long run is `bash scripts/load.sh 100000`).
  PAYHOOK_TARBALL=$tarball PAYHOOK_TOOLS=$root/target/runtime-tools/tools \
    suite load tap_counts bash scripts/load.sh 5000
  suite memory tap_counts node --expose-gc --test --test-reporter=tap "$scratch/js-tests/memory.test.mjs"
  # Fail closed, where it takes Node: a real socket reset, 1 and 4 GiB bodies, parseCapture's work.
  suite fail-closed tap_counts node --test --test-reporter=tap "$scratch/js-tests/fail-closed.test.mjs"
  suite cli tap_counts node --test --test-reporter=tap "$scratch/js-tests/cli.test.mjs"
  # CommonJS under Jest's own module runtime, which cannot require() an ES module.
  suite jest tap_counts node --test --test-reporter=tap "$scratch/js-tests/jest.test.mjs"
  # Redis for the shared dedup store: Debian's redis-server, started by the test on a free
  # loopback port and stopped after.
  if ! command -v redis-server >/dev/null; then
    echo "installing Debian's redis-server"
    (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq redis-server) ||
      (export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq redis-server)
  fi
  suite redis tap_counts node --test --test-reporter=tap "$scratch/js-tests/redis.test.mjs"
  # PostgreSQL for postgresStore: Debian's server, which the test initdb's in a temp dir, starts
  # on a free loopback port and stops after. Debian puts initdb and pg_ctl (not on PATH) under
  # /usr/lib/postgresql/VERSION/bin, where the test finds them.
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing Debian's postgresql"
    (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq postgresql) ||
      (export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq postgresql)
  fi
  suite postgres tap_counts node --test --test-reporter=tap "$scratch/js-tests/postgres.test.mjs"
  tools=$root/target/runtime-tools/tools
  PAYHOOK_TOOLS=$tools CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false \
    suite durable-object tap_counts node --test --test-reporter=tap "$scratch/js-tests/durable-object.test.mjs"
  (cd "$scratch" && DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 DENO_DIR=$root/target/runtime-tools/deno-dir \
    "$tools/node_modules/deno/deno" test --unstable-kv --allow-read --allow-write --allow-run --node-modules-dir=manual \
    js-tests/deno-kv.test.ts) > "$logs/deno-kv.raw" 2>&1
  deno_status=$?
  cat "$logs/deno-kv.raw"
  suite deno-kv deno_counts bash -c 'cat "$1"; exit "$2"' _ "$logs/deno-kv.raw" "$deno_status"
  PAYHOOK_TOOLS=$tools PAYHOOK_SCREENSHOTS=$root/target/screenshots \
    suite validator tap_counts node --test --test-reporter=tap "$scratch/js-tests/validator.test.mjs"
  suite schemas tap_counts node --test --test-reporter=tap "$scratch/js-tests/schemas.test.mjs"
  # The types: handlers written against them, and every parsed fixture assigned to them
  # (gen-payload-types.mjs), so the d.ts and the Rust output cannot drift apart.
  if run_logged types bash -c 'node "$1/js-tests/gen-payload-types.mjs" "$1/js-tests/generated-fixtures.ts" &&
       node "$1/js-tests/readme-snippets.mjs" README.md "$1/js-tests/readme-examples.ts" &&
       tsc --strict --noEmit --skipLibCheck false --target es2022 --lib es2022,dom --module nodenext \
         --moduleResolution nodenext --typeRoots "$1/node_modules/@types" --types node "$1/js-tests/types.test.ts" "$1/js-tests/payload-types.test.ts" \
         "$1/js-tests/generated-fixtures.ts" "$1/js-tests/readme-examples.ts"' _ "$scratch"; then
    record types 1 0
  else
    record types 0 1
  fi
else
  echo "build failed: no tarball"
  record build 0 1
fi

# --- the demo ---------------------------------------------------------------------------
demo_counts() {
  awk '/^demo: [0-9]+ deliveries, [0-9]+ as expected/ { n = $2; ok = $4 } END { printf "%d %d", ok, n - ok }' "$1"
}
suite demo demo_counts bash scripts/demo.sh

# --- summary ------------------------------------------------------------------------------
total_p=0 total_f=0
printf '\n%-15s %8s %8s\n' suite passed failed
for i in "${!names[@]}"; do
  printf '%-15s %8d %8d\n' "${names[$i]}" "${passed[$i]}" "${failed[$i]}"
  total_p=$((total_p + passed[i])); total_f=$((total_f + failed[i]))
done
echo "total: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
