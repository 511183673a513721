#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it: one optimised .wasm, wasm-bindgen's web
# glue (ESM, every runtime; Node's CommonJS entry loads the ES modules), and the hand-written
# files in npm/.
# Prints the path of the tarball on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# The binding crate (bindings/js) is the module; the core crate knows nothing of JavaScript.
cargo build --quiet --release -p payhook-js --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/payhook_js.wasm

rm -rf pkg
# --experimental-reset-state-function: the glue exports __wbg_reset_state(), which
# npm/recover.js calls to re-instantiate the module after a trap.
wasm-bindgen --target web --experimental-reset-state-function --out-dir pkg --out-name payhook "$wasm"
# The package ships its own types (npm/index.d.ts).
rm -f pkg/payhook.d.ts pkg/payhook_bg.wasm.d.ts pkg/.gitignore

wasm-opt -O --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  pkg/payhook_bg.wasm -o pkg/payhook_bg.wasm

cp npm/*.js npm/*.cjs npm/*.d.ts README.md pkg/
if [ -d schemas ]; then cp -r schemas pkg/; fi
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
