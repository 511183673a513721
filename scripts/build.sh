#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it: two optimised .wasm modules (the package's,
# and payhook/tools'), wasm-bindgen's web glue for each (ESM, every runtime; Node's CommonJS
# entry loads the ES modules), and the hand-written files in npm/.
# Prints the path of the tarball on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# The binding crate (bindings/js) makes both modules: the package's (what receiving needs) and
# payhook/tools' (inspection, captures, fixtures). The core crate knows nothing of JavaScript.
release=target/wasm32-unknown-unknown/release
rm -rf pkg target/wasm-modules && mkdir -p target/wasm-modules
cargo build --quiet --release -p payhook-js --target wasm32-unknown-unknown
cp "$release/payhook_js.wasm" target/wasm-modules/payhook.wasm
cargo build --quiet --release -p payhook-js --no-default-features --features tools --target wasm32-unknown-unknown
cp "$release/payhook_js.wasm" target/wasm-modules/payhook_tools.wasm

for name in payhook payhook_tools; do
  # --experimental-reset-state-function: the glue exports __wbg_reset_state(), which
  # npm/recover.js calls to re-instantiate a module after a trap.
  wasm-bindgen --target web --experimental-reset-state-function --out-dir pkg --out-name "$name" \
    "target/wasm-modules/$name.wasm"
  # The package ships its own types (npm/index.d.ts, npm/tools.d.ts).
  rm -f "pkg/$name.d.ts" "pkg/${name}_bg.wasm.d.ts"
  # --strip-producers, --strip-target-features: custom sections no runtime reads (which
  # compilers made the module, which wasm features it uses): 270 B less per module.
  wasm-opt -O --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    "pkg/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
done
rm -f pkg/.gitignore

cp npm/*.js npm/*.d.ts README.md pkg/
# Node's CommonJS entries (node.cjs, tools.cjs), bundled from the ES module sources.
node scripts/bundle-cjs.mjs pkg
rm pkg/node-cjs.js pkg/tools-cjs.js
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
