// Node and Bun: the vectors read from disk (vectors/ is copied beside js-tests/ in the scratch project).
import { readFileSync } from 'node:fs';
import { vectorFiles } from '../suites/index.mjs';

export function loadVectors(dir = new URL('../../vectors/', import.meta.url)) {
  return Object.fromEntries(vectorFiles.map((name) => [name, JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'))]));
}
