// Extracts the README's ```ts examples into one TypeScript file, so `tsc --strict` checks
// them against the package's types: a README example that stops compiling fails the suite.
// Usage: node readme-snippets.mjs README.md out.ts
import { readFileSync, writeFileSync } from 'node:fs';

const [readme, out] = process.argv.slice(2);
const blocks = [...readFileSync(readme, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length === 0) throw new Error('no ts examples in the README');

// What the examples leave to the reader: the raw body, and the app's own functions.
const prelude = `
declare const body: Uint8Array;
declare function alreadyProcessed(key: string): Promise<boolean>;
declare function createFinancing(id: string, amount: number): void;
declare function refund(collectionId: string, amount: number): void;
declare function pause(financingId: string, reason: string | undefined): void;
declare function notify(objectId: string, failureCode: string | undefined): void;
declare function log(...args: unknown[]): void;
declare function handle(event: unknown, dedupKey: string): Promise<void>;
declare function queue(event: unknown, dedupKey: string): Promise<void>;
`;
const imports = new Set();
const bodies = blocks.map((block, i) => {
  const lines = block.split('\n');
  for (const line of lines.filter((l) => l.startsWith('import '))) imports.add(line);
  const code = lines
    .filter((l) => !l.startsWith('import '))
    .map((l) => l.replace(/^export default /, 'const worker = '))
    .join('\n');
  return `export async function readmeExample${i + 1}(): Promise<void> {\n${code}\n}\n`;
});
writeFileSync(out, `${[...imports].join('\n')}\n${prelude}\n${bodies.join('\n')}`);
console.log(`readme-snippets: ${blocks.length} examples -> ${out}`);
