// The page script that runs the portable suites in a browser. Used twice by chromium.mjs:
//   bundled by esbuild (--platform=browser: `payhook` resolves through the `browser` condition), and
//   unbundled, as <script type="module"> with an import map that points `payhook` at the
//   package's browser entry in node_modules (the vectors then load as native JSON modules).
// It takes the package through named imports (named-imports.mjs), as application code does.
// The page names its runtime in window.__runtime; results land in window.__results.
import { payhook, tools } from './named-imports.mjs';
import { runAll } from './core.mjs';
import { vectors } from './vectors-json.mjs';

const runtime = globalThis.__runtime ?? 'browser';
runAll({ runtime, payhook, tools, vectors, log: () => {} }).then(
  (result) => {
    globalThis.__results = result;
  },
  (error) => {
    globalThis.__results = { runtime, passed: 0, failed: 1, suites: {}, failures: [], lines: [`# ${runtime} crashed: ${error?.stack ?? error}`, `${runtime}: 0 passed, 1 failed`] };
  },
);
