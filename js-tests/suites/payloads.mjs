// Payloads: every fixture, the broken-payload table (vectors/payloads_invalid.json), the pinned
// dedup keys (vectors/dedup_keys.json), delivery policies and hostile bodies.
import { sortedJson, thrownCode } from './helpers.mjs';

export default function define({ payhook, test, assert, vectors, label }) {
  const { parseR2Event, validateR2Event, parseBelvoWebhook, validateBelvoWebhook, dedupKey, fixture, fixtureNames, deliveryPolicy } = payhook;
  const parse = { r2: parseR2Event, belvo: parseBelvoWebhook };
  const validate = { r2: validateR2Event, belvo: validateBelvoWebhook };
  const keys = vectors.dedup_keys;

  for (const provider of ['r2', 'belvo']) {
    for (const name of fixtureNames(provider)) {
      test(`${label} fixture ${provider}/${name}: parses, validates, keeps its dedup key`, () => {
        const raw = fixture(provider, name);
        const body = JSON.stringify(raw);
        const lenient = parse[provider](body);
        const strict = parse[provider](new TextEncoder().encode(body), { strict: true });
        assert.deepEqual(strict, lenient);
        assert.deepEqual(validate[provider](body), { ok: true, value: lenient, issues: [], code: null });
        // The Rust core's key, the same from the parsed event and from a re-formatted body.
        assert.equal(dedupKey(lenient), keys[`${provider}/${name}`]);
        const reformatted = JSON.stringify(JSON.parse(sortedJson(raw)), null, 2);
        assert.equal(dedupKey(parse[provider](reformatted)), keys[`${provider}/${name}`]);
        if (provider === 'r2') assert.equal(lenient.event_type, raw.event.event_type);
        else assert.deepEqual([lenient.webhook_type, lenient.webhook_code], [raw.webhook_type, raw.webhook_code]);
      });
    }
  }

  test(`${label} every pinned dedup key has a fixture`, () => {
    const names = ['r2', 'belvo'].flatMap((p) => fixtureNames(p).map((n) => `${p}/${n}`));
    assert.deepEqual(names.sort(), Object.keys(keys).sort());
  });

  const invalid = vectors.payloads_invalid.cases;
  for (const c of invalid) {
    test(`${label} broken payload (${c.provider}): ${c.name}`, () => {
      const body = c.body ?? sortedJson(c.json);
      const options = { strict: c.strict };
      let thrown;
      try {
        parse[c.provider](body, options);
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof payhook.PayhookError, 'parse throws a PayhookError');
      assert.equal(thrown.code, c.error);
      assert.deepEqual(thrown.issues.map((i) => [i.path, i.code]), c.issues);
      assert.match(thrown.message, thrown.issues[0].code === 'duplicate_key' ? /duplicate/ : /./);
      const report = validate[c.provider](body, options);
      assert.deepEqual(report, { ok: false, value: null, issues: thrown.issues, code: c.error });
    });
  }

  test(`${label} an unknown event type: lenient keeps it, strict refuses it`, () => {
    const body = JSON.stringify({ event: { event_time: '1712345678', event_type: 'financing_restructured', event_metadata: {} }, restructuring: { id: 'r1' } });
    const event = parseR2Event(body);
    assert.equal(event.event_type, 'financing_restructured');
    assert.equal(event.event.event_time, 1712345678);
    assert.equal(thrownCode(payhook, assert, () => parseR2Event(body, { strict: true })), 'unknown_event_type');
  });

  test(`${label} delivery policies`, () => {
    const r2 = deliveryPolicy('r2');
    assert.deepEqual([r2.ackStatus, r2.ackBody], [200, 'R2 API Event Received']);
    assert.deepEqual(r2.retryDelaysMs.map((ms) => ms / 60_000), [5, 15, 45, 135, 405, 1215]);
    assert.ok(r2.dedupRetentionMs > (30 * 60 + 20) * 60_000, 'R2 keys outlive its 30 h 20 min of retries');
    const belvo = deliveryPolicy('belvo');
    assert.deepEqual([belvo.ackStatus, belvo.ackMaxStatus, belvo.ackWithinMs, belvo.retryDelaysMs], [200, 299, 5000, [60_000, 60_000, 60_000]]);
    assert.ok(belvo.dedupRetentionMs >= belvo.retryWindowMs);
  });

  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const hostile = [
    ['empty body', () => parseR2Event(''), 'payload_not_json'],
    ['a BOM', () => parseR2Event('\uFEFF{}'), 'payload_not_json'],
    ['not an object', () => parseBelvoWebhook('[1,2]'), 'payload_not_json'],
    ['invalid UTF-8', () => parseR2Event(Uint8Array.of(0x7b, 0xff, 0x7d)), 'payload_not_json'],
    ['nesting 100,000 deep', () => parseR2Event(deep), 'payload_not_json'],
    ['objects nested 100,000 deep', () => parseBelvoWebhook('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)), 'payload_not_json'],
    ['a 400-digit number', () => parseR2Event(`{"event":{"event_time":${'9'.repeat(400)}}}`), 'payload_not_json'],
    ['over the default 1 MiB', () => parseR2Event(new Uint8Array((1 << 20) + 1).fill(0x20)), 'payload_too_large'],
    ['over a configured limit', () => parseR2Event(JSON.stringify(fixture('r2', 'financing_created')), { maxBytes: 100 }), 'payload_too_large'],
    ['duplicate keys', () => parseBelvoWebhook('{"webhook_id":"a","webhook_id":"b"}'), 'payload_invalid'],
    ['body null', () => parseR2Event(null), 'argument_invalid'],
    ['a parsed object as the body', () => parseR2Event({ event: {} }), 'body_not_raw'],
    ['options not an object', () => parseR2Event('{}', 'strict'), 'argument_invalid'],
    ['strict not a boolean', () => parseR2Event('{}', { strict: 'yes' }), 'argument_invalid'],
    ['maxBytes negative', () => parseR2Event('{}', { maxBytes: -1 }), 'argument_invalid'],
    ['dedupKey of a string', () => dedupKey('r2:financing_created'), 'argument_invalid'],
    ['dedupKey of an unrelated object', () => dedupKey({ id: 1 }), 'argument_invalid'],
    ['an unknown fixture', () => fixture('r2', 'financing_exploded'), 'argument_invalid'],
    ['an unknown provider', () => deliveryPolicy('stripe'), 'argument_invalid'],
  ];
  for (const [name, fn, code] of hostile) {
    test(`${label} hostile payload: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, assert, fn), code);
      assert.equal(parseR2Event(JSON.stringify(fixture('r2', 'financing_paid'))).event_type, 'financing_paid', 'the instance still works');
    });
  }
}
