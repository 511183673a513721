// Belvo's Authorization header: the shared vectors (vectors/belvo_authorization.json) and
// the bad-input table for checkBelvoAuthorization.
import { stillWorks, thrownCode, verdict } from './helpers.mjs';

export default function define({ payhook, test, assert, vectors, label }) {
  const { checkBelvoAuthorization } = payhook;

  for (const c of vectors.belvo_authorization.cases) {
    test(`${label} belvo vector: ${c.name}`, () => {
      const got = verdict(payhook, assert, () => checkBelvoAuthorization(c.header, c.accepted), 'acceptedIndex', 'scheme');
      assert.deepEqual(got, c.expect);
    });
  }

  const big = 'a'.repeat(10 * 1024 * 1024);
  const badInput = [
    ['authorization 10 MB', () => checkBelvoAuthorization(`Bearer ${big}`, 'Bearer a'), 'authorization_malformed'],
    ['authorization a number', () => checkBelvoAuthorization(7, 'Bearer a'), 'argument_invalid'],
    ['authorization non-ASCII', () => checkBelvoAuthorization('Bearer señal', 'Bearer a'), 'authorization_malformed'],
    ['accepted empty list', () => checkBelvoAuthorization('Bearer a', []), 'secret_invalid'],
    ['accepted null', () => checkBelvoAuthorization('Bearer a', null), 'secret_invalid'],
    ['accepted a number in the list', () => checkBelvoAuthorization('Bearer a', ['Bearer a', 5]), 'secret_invalid'],
  ];
  for (const [name, fn, code] of badInput) {
    test(`${label} bad input: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, assert, fn), code);
      stillWorks(payhook, assert);
    });
  }
}
