#!/usr/bin/env bash
# Installs what building and testing payhook needs, and nothing twice: the wasm32 target,
# wasm-bindgen-cli at the exact version in Cargo.lock, wasm-pack, and the npm dev tools
# (binaryen's wasm-opt, typescript). Safe to run again; fast when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; no --locked (a yanked pin).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
  step "installing wasm-bindgen-cli $want (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! command -v wasm-pack >/dev/null; then
  step "installing wasm-pack (about 3 minutes, once)"
  cargo install --locked wasm-pack
fi

# npm ci only when package-lock.json changed since the last install.
if ! cmp -s package-lock.json node_modules/.payhook-lock 2>/dev/null; then
  step "installing npm dev tools"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.payhook-lock
fi
