#!/usr/bin/env bash
# Writes the npm package's payload descriptions from the Rust payload models, their one
# source (src/providers/: shape!, known_enum!, R2Event::EVENTS, BelvoWebhook::routes()):
#   schemas/r2-event.schema.json, schemas/belvo-webhook.schema.json, npm/payloads.d.ts
# With --check it writes nothing and fails when a committed file is stale (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --quiet -p gen-shapes -- "$@"
