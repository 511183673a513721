// What every runner does once it has the package and the vectors: define the suites on a
// fresh harness, run them, print per-suite counts and the final `<runtime>: N passed, N failed`.
// Portable (no `node:` imports): it runs inside workerd and browsers too.
import assert from '../harness/assert.mjs';
import { createHarness, describeError } from '../harness/run.mjs';
import { suites as portableSuites } from '../suites/index.mjs';

/**
 * runAll({ runtime, payhook, tools, vectors, extra, log }) -> { runtime, passed, failed, suites, failures, lines }
 *   payhook, tools: the namespaces of `payhook` and `payhook/tools`. The suites get both
 *     merged as `payhook` (the whole API), and each as it is in `entries`.
 *   extra: more [name, define] pairs (the node-only suite) after the portable ones.
 *   log:   where lines go as they are made (console.log by default); they are also returned.
 */
export async function runAll({ runtime, payhook, tools, vectors, extra = [], log }) {
  const harness = createHarness({ log });
  const context = { payhook: { ...payhook, ...tools }, entries: { payhook, tools }, test: harness.test, assert, vectors, label: `[${runtime}]` };
  for (const [name, define] of [...portableSuites, ...extra]) {
    harness.suite(name);
    try {
      define(context);
    } catch (error) {
      // A suite that cannot even be defined counts as one failed test, never as nothing.
      harness.test(`[${runtime}] ${name}: the suite defines its tests`, () => {
        throw error;
      });
    }
  }
  const result = await harness.run();
  const out = (line) => {
    result.lines.push(line);
    (log ?? ((l) => console.log(l)))(line);
  };
  for (const [name, counts] of Object.entries(result.suites)) out(`# suite ${name}: ${counts.passed} passed, ${counts.failed} failed`);
  out(`${runtime}: ${result.passed} passed, ${result.failed} failed`);
  return { runtime, ...result };
}

/** A result for a runtime whose suites never ran (import failed, page error…). */
export function notStarted(runtime, error) {
  const lines = [`# ${runtime} could not start: ${describeError(error).replace(/\n/g, '\n#   ')}`, `${runtime}: 0 passed, 1 failed`];
  return { runtime, passed: 0, failed: 1, suites: {}, failures: [{ suite: 'start', name: 'start', error: String(error) }], lines };
}
