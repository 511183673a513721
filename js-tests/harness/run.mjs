// A tiny portable test harness (no `node:` imports): register tests, run them in order,
// print TAP-like lines, count per suite. Runs in Node, Deno, Bun, workerd and browsers.
import { show } from './assert.mjs';

/** How a failure is printed: the message, then the first stack lines (indented). */
export function describeError(error) {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
    const head = `${error.name ?? 'Error'}${error.code ? ` [${error.code}]` : ''}: ${error.message}`;
    const stack = typeof error.stack === 'string' ? error.stack.split('\n').filter((l) => (/^\s+at /.test(l) || /@/.test(l)) && !/\braise\b/.test(l)).slice(0, 6) : [];
    return [head, ...stack.map((l) => l.trim())].join('\n');
  }
  return `thrown non-error: ${show(error)}`;
}

/**
 * createHarness({ log }) -> { test, suite, run }
 *   test(name, fn)      registers a test (fn may be async); belongs to the current suite
 *   suite(name)         sets the suite the following test() calls belong to
 *   run()               runs every test in order; resolves to
 *                       { passed, failed, suites: { [name]: { passed, failed } }, failures: [...], lines: [...] }
 * Every output line goes to log (console.log by default) and into `lines`.
 */
export function createHarness({ log = (line) => console.log(line) } = {}) {
  const tests = [];
  let current = 'default';

  const test = (name, fn) => {
    if (typeof name !== 'string' || typeof fn !== 'function') throw new TypeError('test(name, fn)');
    tests.push({ suite: current, name, fn });
  };
  const suite = (name) => {
    current = name;
  };

  async function run() {
    const lines = [];
    const out = (line) => {
      lines.push(line);
      log(line);
    };
    const suites = {};
    const failures = [];
    let passed = 0;
    let failed = 0;
    out(`1..${tests.length}`);
    for (const [i, t] of tests.entries()) {
      const counts = (suites[t.suite] ??= { passed: 0, failed: 0 });
      try {
        await t.fn();
        passed++;
        counts.passed++;
        out(`ok ${i + 1} - ${t.name}`);
      } catch (error) {
        failed++;
        counts.failed++;
        const text = describeError(error);
        failures.push({ suite: t.suite, name: t.name, error: text });
        out(`not ok ${i + 1} - ${t.name}`);
        for (const line of text.split('\n')) out(`  # ${line}`);
      }
    }
    return { passed, failed, suites, failures, lines };
  }

  return { test, suite, run };
}
