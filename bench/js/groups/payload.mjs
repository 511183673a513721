// Parse + validate: payhook's typed parse of the raw bytes beside JSON.parse + a zod schema of
// the same rules (bench/js/lib/inputs.mjs) and JSON.parse + ajv compiled from the JSON Schema
// payhook ships (payhook/schemas/*.schema.json). Every implementation starts from the bytes
// received, as a receiver does (the signature needs the bytes, so the text is decoded here).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020.js';
import { parseBelvoWebhook, parseR2Event } from 'payhook';
import { check, compare } from '../lib/harness.mjs';
import { r2Body, zodBelvo, zodR2 } from '../lib/inputs.mjs';

const require = createRequire(import.meta.url);
const schema = (name) => JSON.parse(readFileSync(require.resolve(`payhook/schemas/${name}.schema.json`), 'utf8'));
const decoder = new TextDecoder();

export async function payload({ quick = false, fixtures }) {
  const ajv = new Ajv2020({ strict: false });
  const ajvR2 = ajv.compile(schema('r2-event'));
  const ajvBelvo = ajv.compile(schema('belvo-webhook'));
  const r2 = r2Body(1024);
  const belvo = new Uint8Array(readFileSync(`${fixtures}/belvo/PAYMENT_INTENTS.STATUS_UPDATE.json`));
  const cases = [
    { id: 'parse-r2', title: `R2 event, financing_created, ${r2.length} B`, short: `R2 event, ${r2.length} B`, body: r2, payhook: parseR2Event, zod: zodR2, ajv: ajvR2 },
    { id: 'parse-belvo', title: `Belvo webhook, PAYMENT_INTENTS.STATUS_UPDATE, ${belvo.length} B`, short: `Belvo webhook, ${belvo.length} B`, body: belvo, payhook: parseBelvoWebhook, zod: zodBelvo, ajv: ajvBelvo },
  ];
  const comparisons = [];
  for (const c of cases) {
    const impls = [
      { impl: `payhook ${c.payhook.name}`, payhook: true, fn: () => c.payhook(c.body) },
      { impl: 'JSON.parse + zod safeParse', short: 'JSON.parse + zod', fn: () => c.zod(decoder.decode(c.body)) },
      { impl: 'JSON.parse + ajv (payhook\'s JSON Schema)', short: 'JSON.parse + ajv', fn: () => { const json = JSON.parse(decoder.decode(c.body)); return c.ajv(json) ? json : null; } },
    ];
    await check(impls, (got) => got !== null && got?.success !== false && typeof got === 'object');
    comparisons.push({ id: c.id, title: c.title, short: c.short, bytes: c.body.length, rows: await compare(impls, { rounds: quick ? 7 : 31 }) });
  }
  return {
    id: 'payload',
    title: 'Parse + validate',
    note: 'From the received bytes. payhook also builds the typed value (seen list, normalised times) and rejects duplicate keys, a BOM and over-deep bodies; zod and ajv do not. ajv is compiled once, with default options.',
    comparisons,
  };
}
