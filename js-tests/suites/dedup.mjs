// Exactly once: the memory store's claim/complete/release with a clock passed in, and
// receiver.handle() running the handler once per event, whatever the retries do.

const SECRET = 'r2-partner-jwt-secret';

export default function define({ payhook, test, assert, label }) {
  const { memoryStore, r2Receiver, signR2, fixture, deliveryPolicy, PayhookError } = payhook;
  const delivery = (name, extra = {}) => {
    const body = JSON.stringify({ ...fixture('r2', name), ...extra });
    return { body, headers: { 'content-sha256': signR2(body, SECRET) } };
  };

  test(`${label} memory store: claim, in progress, complete, duplicate, release, lease and retention`, async () => {
    let now = 1_000;
    const store = memoryStore({ now: () => now });
    assert.equal(await store.claim('k', 100), 'new');
    assert.equal(await store.claim('k', 100), 'in_progress');
    now += 100;
    assert.equal(await store.claim('k', 100), 'new', 'an expired lease: a crashed handler\'s event is retried');
    await store.release('k');
    assert.equal(await store.status('k'), 'new');
    assert.equal(await store.claim('k', 100), 'new');
    await store.complete('k', 10_000);
    assert.deepEqual([await store.claim('k', 100), await store.status('k')], ['duplicate', 'duplicate']);
    now += 10_000;
    assert.equal(await store.claim('k', 100), 'new', 'past the retention the key is forgotten');
  });

  test(`${label} memory store: 10,000 distinct events stay within the bound, expired keys are forgotten`, async () => {
    let now = 0;
    const store = memoryStore({ maxEntries: 1_000, maxBytes: 1 << 20, now: () => now });
    for (let i = 0; i < 10_000; i++) {
      assert.equal(await store.claim(`r2:financing_paid:${i}`, 1_000), 'new');
      await store.complete(`r2:financing_paid:${i}`, 60_000 + i);
    }
    assert.ok(store.size <= 1_000 && store.bytes <= 1 << 20, `size ${store.size}, bytes ${store.bytes}`);
    assert.equal(await store.status('r2:financing_paid:9999'), 'duplicate');
    now = 1_000_000;
    assert.equal(await store.status('r2:financing_paid:9999'), 'new');
    await store.claim('x', 10);
    assert.equal(store.size, 1, 'expired entries are swept when new ones arrive');
  });

  test(`${label} handle: 10,000 distinct events, 10,000 handler runs, none lost, with a store bounded to 1,000`, async () => {
    const store = memoryStore({ maxEntries: 1_000 });
    const receiver = r2Receiver({ secrets: [SECRET], dedup: store });
    const base = fixture('r2', 'financing_paid');
    let runs = 0;
    for (let i = 0; i < 10_000; i++) {
      const body = JSON.stringify({ ...base, event: { ...base.event, event_time: 1_700_000_000 + i } });
      const response = await receiver.handle({ body, headers: { 'content-sha256': signR2(body, SECRET) } }, () => { runs += 1; });
      if (response.status !== 200) assert.fail(`event ${i}: ${response.status}`);
    }
    assert.equal(runs, 10_000);
    assert.ok(store.size <= 1_000, `size ${store.size}`);
  });

  test(`${label} handle: the handler runs once per event; repeats get the success answer`, async () => {
    const receiver = r2Receiver({ secrets: [SECRET], dedup: memoryStore() });
    const handled = [];
    const d = delivery('financing_created');
    for (let i = 0; i < 3; i++) {
      const response = await receiver.handle(d, (event) => { handled.push(event.event_type); });
      assert.deepEqual([response.status, response.body], [200, 'R2 API Event Received']);
    }
    const other = await receiver.handle(delivery('financing_paid'), (event) => { handled.push(event.event_type); });
    assert.equal(other.status, 200);
    assert.deepEqual(handled, ['financing_created', 'financing_paid']);
    const seen = await receiver.receive(d);
    assert.deepEqual([seen.ok, seen.duplicate], [true, true]);
    assert.equal((await receiver.receive(delivery('financing_resumed'))).duplicate, false);
  });

  test(`${label} handle: 50 concurrent deliveries of one event run the handler once`, async () => {
    const receiver = r2Receiver({ secrets: [SECRET], dedup: memoryStore() });
    let runs = 0;
    const slow = async () => { runs += 1; await new Promise((resolve) => setTimeout(resolve, 20)); };
    const d = delivery('collection_created');
    const statuses = await Promise.all(Array.from({ length: 50 }, () => receiver.handle(d, slow).then((r) => r.status)));
    assert.equal(runs, 1);
    assert.equal(statuses.filter((s) => s === 200).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 49, 'the others are told to retry while it runs');
    const after = await receiver.handle(d, slow);
    assert.deepEqual([after.status, runs], [200, 1], 'once done, a repeat is acknowledged');
  });

  test(`${label} handle: a handler that throws releases its claim, and the retry is processed`, async () => {
    const receiver = r2Receiver({ secrets: [SECRET], dedup: memoryStore() });
    const d = delivery('financing_paused');
    const errors = [];
    const failed = await receiver.handle(d, () => { throw new Error('database down'); }, { onError: (e) => errors.push(e.message) });
    assert.equal(failed.status, 500);
    assert.equal(JSON.parse(failed.body).error, 'handler_failed');
    assert.deepEqual(errors, ['database down']);
    let runs = 0;
    const retried = await receiver.handle(d, () => { runs += 1; });
    assert.deepEqual([retried.status, runs], [200, 1]);
  });

  test(`${label} handle: a claim from a crashed process expires after its lease`, async () => {
    let now = 0;
    const store = memoryStore({ now: () => now });
    const receiver = r2Receiver({ secrets: [SECRET], dedup: store, leaseMs: 5_000 });
    const d = delivery('financing_canceled');
    assert.equal(await store.claim(payhook.dedupKey(payhook.parseR2Event(d.body)), 5_000), 'new'); // the crashed one
    assert.equal((await receiver.handle(d, () => {})).status, 409);
    now += 5_000;
    let runs = 0;
    assert.equal((await receiver.handle(d, () => { runs += 1; })).status, 200);
    assert.equal(runs, 1);
    assert.ok(deliveryPolicy('r2').dedupRetentionMs > 0);
  });

  test(`${label} handle: refusals are answered without running the handler`, async () => {
    const receiver = r2Receiver({ secrets: [SECRET], dedup: memoryStore() });
    let runs = 0;
    const d = delivery('financing_created');
    const response = await receiver.handle({ body: d.body, headers: {} }, () => { runs += 1; });
    assert.deepEqual([response.status, runs], [401, 0]);
    const fetched = await receiver.handle(new Request('http://127.0.0.1/', { method: 'POST', body: d.body, headers: d.headers }), () => { runs += 1; });
    assert.ok(fetched instanceof Response);
    assert.deepEqual([fetched.status, runs], [200, 1]);
  });

  test(`${label} dedup must be a store`, () => {
    try {
      r2Receiver({ secrets: [SECRET], dedup: new Set() });
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(error instanceof PayhookError);
      assert.equal(error.code, 'argument_invalid');
    }
  });
}
