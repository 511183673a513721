// Deno 2: `import 'payhook'` from the scratch project's node_modules (--node-modules-dir=manual)
// resolves through the `deno` condition. Run with NO permissions at all: the package must load
// its wasm without --allow-read, and the vectors come in as JSON modules (no read needed).
// Usage (from the scratch project): deno run --node-modules-dir=manual --no-prompt js-tests/runners/deno.mjs
import * as payhook from 'payhook';
import * as tools from 'payhook/tools';
import { runAll } from './core.mjs';
import { vectors } from './vectors-json.mjs';

if (typeof Deno === 'undefined') throw new Error('deno.mjs is the Deno runner: run it with deno');
const result = await runAll({ runtime: Deno.args[0] ?? 'deno', payhook, tools, vectors });
Deno.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
