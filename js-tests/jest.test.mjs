// CommonJS under Jest: Jest's own module runtime loads `require('payhook')` (it cannot load an
// ES module through require, which is why Node's entries are CommonJS bundles). Runs Jest on
// js-tests/jest/commonjs.test.cjs from the scratch project and checks it passed.
//   node --test js-tests/jest.test.mjs   (from the scratch project: payhook and jest installed)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const jest = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin', 'jest.js');

test('Jest loads the package through require()', () => {
  const run = spawnSync(process.execPath, [jest, '--ci', '--rootDir', join(here, 'jest'), '--testMatch', '**/*.test.cjs'], {
    cwd: join(here, '..'),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const out = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, out);
  assert.match(out, /Tests:\s+1 passed, 1 total/, out);
});
