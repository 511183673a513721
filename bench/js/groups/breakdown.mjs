// Where payhook's time goes, from the outside: the same 1 KiB delivery with its inputs
// varied (header shapes, with and without the address check) and its parts called alone.
// payhook rows only; read them against each other.
import { Allowlist, R2_ALLOWLIST, clientIp, dedupKey, parseR2Event, r2Receiver, signR2, verifyR2Signature } from 'payhook';
import { check, compare } from '../lib/harness.mjs';
import { SECRET, r2Body } from '../lib/inputs.mjs';
import { PROXIED_HEADERS, nodeRequest } from './address.mjs';

export async function breakdown({ quick = false } = {}) {
  const body = r2Body(1024);
  const sig = signR2(body, SECRET);
  const req = nodeRequest({ ...PROXIED_HEADERS, 'content-sha256': sig });
  const fetchHeaders = new Headers(req.headers);
  const needed = { 'x-forwarded-for': req.headers['x-forwarded-for'], 'content-sha256': sig };
  const receiver = r2Receiver({ secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: { hops: 1 } });
  const bare = r2Receiver({ secrets: [SECRET] });
  const event = parseR2Event(body);
  const outcome = receiver.receive({ body, headers: req.headers, peer: req });
  const outcomeText = JSON.stringify({ ok: true, status: 200, contentType: 'text/plain', body: outcome.response.body, event: outcome.event, dedupKey: outcome.dedupKey, clientIp: outcome.clientIp.ip, clientIpSource: outcome.clientIp.source, secretIndex: 0, encoding: outcome.encoding });
  const trust = { hops: 1 };
  const list = new Allowlist(['54.215.38.39/32']);
  const impls = [
    { impl: 'receive: Node req.headers (10 entries), peer = req', fn: () => receiver.receive({ body, headers: req.headers, peer: req }) },
    { impl: 'receive: the same headers as a Fetch Headers', fn: () => receiver.receive({ body, headers: fetchHeaders, peer: req }) },
    { impl: 'receive: a plain object of the 2 headers used', fn: () => receiver.receive({ body, headers: needed, peer: req }) },
    { impl: 'receive without allowlist: signature + parse + key + result', fn: () => bare.receive({ body, headers: { 'content-sha256': sig } }) },
    { impl: 'verifyR2Signature (base64-hex, secret per call)', fn: () => verifyR2Signature(body, sig, SECRET) },
    { impl: 'parseR2Event (parse, validate, result to JS)', fn: () => parseR2Event(body) },
    { impl: 'dedupKey(event) (JS object back into wasm, key)', fn: () => dedupKey(event) },
    { impl: `JSON.parse of the receive outcome's text (${outcomeText.length} chars)`, fn: () => JSON.parse(outcomeText) },
    { impl: 'clientIp, hops 1: Node req.headers (10 entries)', fn: () => clientIp({ peer: req, headers: req.headers, trust }) },
    { impl: 'clientIp, hops 1: Fetch Headers', fn: () => clientIp({ peer: req, headers: fetchHeaders, trust }) },
    { impl: 'clientIp, hops 1: plain object of 1 header', fn: () => clientIp({ peer: req, headers: { 'x-forwarded-for': needed['x-forwarded-for'] }, trust }) },
    { impl: 'clientIp, peer only (no headers, trust none)', fn: () => clientIp({ peer: req }) },
    { impl: 'Allowlist.contains (one string in, a boolean out)', fn: () => list.contains('54.215.38.39') },
  ];
  await check(impls, (got) => got !== undefined && got !== null && got.ok !== false);
  const rows = await compare(impls.map((i) => ({ ...i, payhook: true })), { rounds: quick ? 7 : 25 });
  return {
    id: 'breakdown',
    title: 'Where payhook\'s time goes (1 KiB R2 delivery, Node)',
    note: 'payhook only: the whole delivery with its inputs varied, and its parts called alone.',
    rows,
  };
}
