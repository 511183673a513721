#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it: one optimised .wasm, wasm-bindgen's web
# glue (ESM, all runtimes) and nodejs glue (CommonJS), and the hand-written files in npm/.
# Prints the path of the tarball on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# The binding crate (bindings/js) is the module; the core crate knows nothing of JavaScript.
cargo build --quiet --release -p payhook-js --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/payhook_js.wasm
node_glue=target/wasm-bindgen-nodejs

rm -rf pkg "$node_glue"
# --experimental-reset-state-function: the glues export __wbg_reset_state(), which
# npm/recover.js calls to re-instantiate the module after a trap.
wasm-bindgen --target web --experimental-reset-state-function --out-dir pkg --out-name payhook "$wasm"
wasm-bindgen --target nodejs --experimental-reset-state-function --out-dir "$node_glue" --out-name payhook "$wasm"
# Both glues must load the very same module.
cmp pkg/payhook_bg.wasm "$node_glue/payhook_bg.wasm"
cp "$node_glue/payhook.js" pkg/payhook_node.cjs
# Number, not object, held values for the glues' FinalizationRegistry: works around a V8 crash
# in Node 20/22 (scripts/patch-glue.mjs says which).
node scripts/patch-glue.mjs pkg/payhook.js pkg/payhook_node.cjs
# The package ships its own types (npm/index.d.ts).
rm -f pkg/payhook.d.ts pkg/payhook_bg.wasm.d.ts pkg/.gitignore

wasm-opt -O --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  pkg/payhook_bg.wasm -o pkg/payhook_bg.wasm

cp npm/*.js npm/*.cjs npm/*.d.ts README.md pkg/
if [ -d schemas ]; then cp -r schemas pkg/; fi
# PayhookError and the receivers have one source each; the CommonJS entry gets compiled
# copies of them.
esbuild npm/error.js --format=cjs --log-level=warning --outfile=pkg/error.cjs
esbuild npm/receiver.js --format=cjs --log-level=warning --outfile=pkg/receiver.cjs
esbuild npm/stores.js --format=cjs --log-level=warning --outfile=pkg/stores.cjs
esbuild npm/recover.js --format=cjs --log-level=warning --outfile=pkg/recover.cjs
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync("npm/package.json", "utf8"));
  manifest.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
' "$version"

mkdir -p target/npm
rm -f target/npm/payhook-*.tgz
(cd pkg && npm pack --silent --pack-destination ../target/npm >/dev/null)
echo "$PWD/target/npm/payhook-$version.tgz"
