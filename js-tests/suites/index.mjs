// The portable suites, in the order every runner defines them. Each is
// `export default function define({ payhook, test, assert, vectors, label })` and does no IO.
// node-only.mjs is not listed: only the Node and Bun runners add it.
import load from './load.mjs';
import signature from './signature.mjs';
import auth from './auth.mjs';
import errors from './errors.mjs';
import sourceIp from './source-ip.mjs';
import payloads from './payloads.mjs';
import receiver from './receiver.mjs';
import inspect from './inspect.mjs';
import dedup from './dedup.mjs';
import secrets from './secrets.mjs';
import hostile from './hostile.mjs';
import failClosed from './fail-closed.mjs';

export const suites = [
  ['load', load],
  ['signature', signature],
  ['auth', auth],
  ['errors', errors],
  ['source-ip', sourceIp],
  ['payloads', payloads],
  ['receiver', receiver],
  ['inspect', inspect],
  ['dedup', dedup],
  ['secrets', secrets],
  ['fail-closed', failClosed],
  // Last: 100,000 seeded random calls, a few seconds.
  ['hostile', hostile],
];

/** The vector files the suites read, by key: runners load exactly these. */
export const vectorFiles = ['r2_signature', 'belvo_authorization', 'client_ip', 'payloads_invalid', 'dedup_keys', 'dedup_key_spellings'];
