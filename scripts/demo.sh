#!/usr/bin/env bash
# The README's first command: builds payhook, installs the packed tarball into a scratch
# project (target/demo, fresh each run) and runs examples/demo there: a real node:http
# receiver, sent real R2 and Belvo deliveries over 127.0.0.1 by the installed CLI
# (target/demo/node_modules/.bin/payhook send …), retries and all. Exits non-zero unless
# every delivery got the expected answer. The server lives and dies with the node process.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# build.sh prints the tarball's path on its last line of stdout; show anything before it.
build_output=$(bash scripts/build.sh)
tarball=${build_output##*$'\n'}
[ "$tarball" = "$build_output" ] || printf '%s\n' "${build_output%$'\n'*}"
if [ ! -f "$tarball" ]; then
  echo "demo: build.sh did not end with the path of a tarball (got: $tarball)" >&2
  exit 1
fi

# The demo files must sit inside the scratch project so that 'payhook' resolves to the
# installed tarball, exactly as it would for a user.
demo=target/demo
rm -rf "$demo"
mkdir -p "$demo"
printf '{ "name": "payhook-demo", "private": true, "type": "module" }\n' >"$demo/package.json"
(cd "$demo" && npm install --no-audit --no-fund --loglevel=error "$tarball")
cp examples/demo/*.mjs "$demo/"
# Every delivery is sent by the package's own CLI, as a user would run it.
if [ ! -x "$demo/node_modules/.bin/payhook" ]; then
  echo "demo: the installed package has no payhook command" >&2
  exit 1
fi

cd "$demo"
exec node demo.mjs
