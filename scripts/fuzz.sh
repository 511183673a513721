#!/usr/bin/env bash
# Fuzzes every entry point that takes untrusted input (fuzz/fuzz_targets/), each for a
# bounded time, with corpora seeded from the shared vectors and fixtures.
#   bash scripts/fuzz.sh          10 s per target (what CI runs)
#   bash scripts/fuzz.sh 600      the long run: 10 minutes per target
# cargo-fuzz drives libFuzzer; on the stable toolchain it needs RUSTC_BOOTSTRAP=1 for its -Z
# flags, and runs without a sanitizer (payhook has no unsafe code). A crash is saved under
# fuzz/artifacts/<target>/ and fails the run; turn it into a regression vector.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
seconds=${1:-10}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
cargo fuzz build --sanitizer none -O >/dev/null 2>&1 || cargo fuzz build --sanitizer none -O || {
  echo "fuzz: the targets do not build"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

# Seeds: the fixtures and broken payloads for the payload and receive targets, captures and
# documents for theirs; the other targets start from libFuzzer's own inputs.
corpus=target/fuzz-corpus
mkdir -p "$corpus"
seed() { mkdir -p "$corpus/$1"; cp "${@:2}" "$corpus/$1/" 2>/dev/null || true; }
seed payload vectors/fixtures/r2/*.json vectors/fixtures/belvo/*.json
seed json vectors/fixtures/r2/*.json vectors/fixtures/belvo/*.json
seed receive vectors/fixtures/r2/*.json
node -e '
  const fs = require("fs");
  const write = (dir, name, text) => { fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(`${dir}/${name}`, text); };
  const invalid = JSON.parse(fs.readFileSync("vectors/payloads_invalid.json", "utf8")).cases;
  invalid.forEach((c, i) => write(process.argv[1] + "/payload", `invalid-${i}`, c.body ?? JSON.stringify(c.json)));
  const docs = JSON.parse(fs.readFileSync("vectors/client_ip.json", "utf8")).r2_documents;
  docs.forEach((d, i) => write(process.argv[1] + "/r2_ip_document", `doc-${i}`, d.document));
  write(process.argv[1] + "/capture", "curl", "curl -X POST https://x.test/h -H \"Content-Sha256: abc\" --data-raw $'"'"'{\"a\":1}'"'"'");
  write(process.argv[1] + "/capture", "http", "POST /h HTTP/1.1\nHost: x\nContent-Sha256: abc\n\n{}");
' "$corpus"

targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^payhook-fuzz$')
passed=0 failed=0
printf '%-16s %12s %10s %8s  %s\n' target executions exec/s cov result
for target in $targets; do
  mkdir -p "$corpus/$target"
  log=target/fuzz-$target.log
  cargo fuzz run --sanitizer none -O "$target" "$corpus/$target" -- -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log" | tail -1)
  speed=$(awk '/stat::average_exec_per_sec:/ { print $2 }' "$log" | tail -1)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | awk '{ print $2 }')
  if [ "$status" -eq 0 ]; then result=ok; passed=$((passed + 1)); else result="FAILED (see $log)"; failed=$((failed + 1)); fi
  printf '%-16s %12s %10s %8s  %s\n' "$target" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$result"
  [ "$status" -eq 0 ] || tail -30 "$log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
