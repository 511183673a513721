// Where the time of payhook's whole delivery goes, by function, from a CPU profile taken in
// this process (node:inspector). Not part of run.mjs: the shipped .wasm has no name section
// (wasm-opt drops it), so its functions show as wasm-function[N]. For names, copy the built
// package (pkg/, after scripts/build.sh) and give it a module that keeps them:
//   cp -r pkg /tmp/named && wasm-bindgen --target web --experimental-reset-state-function \
//     --out-dir /tmp/wb --out-name payhook target/wasm32-unknown-unknown/release/payhook_js.wasm
//   wasm-opt -O -g <the flags of scripts/build.sh> /tmp/wb/payhook_bg.wasm -o /tmp/named/payhook_bg.wasm
//   node target/bench/profile.mjs --named /tmp/named [--deliveries 40000]
// Prints self time by category and the inclusive time of payhook's own functions.
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SECRET, r2Body } from './lib/inputs.mjs';
import { PROXIED_HEADERS, nodeRequest } from './groups/address.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const deliveries = Number(option('deliveries', 40_000));
const named = option('named', null);
const installed = dirname(createRequire(import.meta.url).resolve('payhook/package.json'));
const dir = named ? resolve(named) : installed;

const { r2Receiver, signR2, Allowlist } = await import(pathToFileURL(join(dir, 'node.js')).href);

const body = r2Body(1024);
const req = nodeRequest({ ...PROXIED_HEADERS, 'content-sha256': signR2(body, SECRET) });
const receiver = r2Receiver({ secrets: [SECRET], allowlist: new Allowlist(['54.151.119.16/32', '54.215.38.39/32']), trust: { hops: 1 } });
const deliver = () => receiver.receive({ body, headers: req.headers, peer: req });
for (let i = 0; i < 5000; i++) deliver();

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
const t = performance.now();
let ok = 0;
for (let i = 0; i < deliveries; i++) ok += deliver().ok ? 1 : 0;
const perDelivery = ((performance.now() - t) * 1000) / deliveries;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  return `${(f.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '')} ${f.url.split('/').pop()}`.trim();
};
const CATEGORIES = [
  ['SHA-256 compression (HMAC and dedup-key hashing)', /sha2::|compress256|digest::|hmac::/],
  ['BTreeMap (serde_json objects)', /btree/i],
  ['JSON parsing in wasm (serde_json, payhook::json)', /serde_json::de|ValueSeed|payhook::json|MapAccess|StrRead|parse_str|deserialize/],
  ['JSON writing in wasm (serde_json::ser, canonical JSON, fmt)', /serde_json::ser|format_escaped|write_canonical|fmt::|Formatter|write_str|write_all|serialize|Serialize/],
  ['allocation, copying, dropping in wasm', /dlmalloc|raw_vec|__rdl|__rust_|alloc::|memcpy|memmove|memset|memcmp|to_owned|clone|Clone|spec_extend|drop_in_place|extend_from_slice|copy_from_slice|to_vec/],
  ['JS↔wasm boundary: glue, string transcoding, Reflect', /payhook\.js|encoding|decodeUTF8|get buffer|wasm-to-js|wasm_bindgen::|js_sys::|externref|__wbg|__wbindgen/],
  ['JS wrapper (receiver.js: result, response)', /receiver\.js/],
  ['garbage collector', /garbage collector/],
  ['other wasm (payhook logic)', /wasm-function|payhook::|core::|\.wasm/],
];
const self = new Map();
const inclusive = new Map();
let total = 0;
for (const id of profile.samples) {
  total += 1;
  const leaf = label(byId.get(id));
  const category = CATEGORIES.find(([, re]) => re.test(leaf))?.[0] ?? 'other (JS, runtime, benchmark loop)';
  self.set(category, (self.get(category) ?? 0) + 1);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at));
    if (!seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
    }
  }
}
const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log(`${ok} of ${deliveries} deliveries accepted, ${perDelivery.toFixed(1)} µs each while profiled (${named ? `named build ${dir}` : 'the installed package: wasm functions unnamed'})`);
console.log('\nself time by category');
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1])) console.log(`${pct(n)}  ${name}`);
console.log('\ninclusive time of payhook\'s own functions and the glue');
const own = [...inclusive].filter(([name]) => /payhook::|corereceiver|JSON::parse|getStringFromWasm0|passStringToWasm0|string_get|wasm-function/.test(name));
for (const [name, n] of own.sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${pct(n)}  ${name.slice(0, 140)}`);
