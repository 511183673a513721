// payhook/tools' guarded core over its own wasm module (inspection, captures, fixtures: what
// the validator page and the CLI use, and a receiver never loads), and what each tools entry
// calls once that module is instantiated. Not public: tools.js exports the public names.
import * as glue from './payhook_tools.js';
import { invalid, refuse } from './error.js';
import { headerValues, measure, nameOf, overBody, peerAddress, read, receiverConfig, stillHeld } from './input.js';
import { guard } from './recover.js';

const { exported, start, limitOf } = guard(glue);
export { start };

const INSPECT_INPUT = ['provider', 'body', 'headers', 'peer', 'now'];

export const tools = {
  inspectDelivery: exported('inspectDelivery', (input) => {
    if (typeof input !== 'object' || input === null) throw invalid('inspectDelivery takes { provider, body, headers, … }');
    const [provider, body, headers, peer, now] = INSPECT_INPUT.map((key) => read(input, key, 'input'));
    const config = receiverConfig(provider, input, true, 'input');
    const time = now ?? Date.now();
    if (typeof time !== 'number') throw invalid('now must be milliseconds since the epoch');
    const [bytes, oversized] = measure(body, limitOf(config.maxBytes));
    // An inspection describes a delivery: no peer given means none, on any runtime.
    const address = peerAddress(peer, true);
    const found = headerValues(headers); // before stillHeld: its getters are caller code
    return JSON.parse(glue.inspectDelivery(JSON.stringify(config), stillHeld(bytes), oversized, ...found, address, time));
  }),
  parseCapture: exported('parseCapture', (text) => {
    if (typeof text !== 'string') throw invalid('parseCapture takes the pasted text');
    // One longer than the largest body payhook reads took up to 27 times its size in wasm
    // memory: 500 million characters trapped, 134 million made JSON past the longest string.
    if (overBody(text.length)) throw refuse('payload_too_large', 'the capture is longer than the largest body payhook reads');
    return JSON.parse(glue.parseCapture(text));
  }),
  fixture: exported('fixture', (provider, name) => JSON.parse(glue.fixture(nameOf(provider), nameOf(name)))),
  fixtureNames: exported('fixtureNames', (provider) => glue.fixtureNames(nameOf(provider))),
};
