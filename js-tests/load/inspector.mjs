// Memory a receiver keeps, read through its V8 inspector (node --inspect, or workerd's as
// `wrangler dev` opens it): the JS heap after a full GC and the size of every wasm memory.
// RSS alone cannot tell a leak from a heap that V8 or workerd has not shrunk yet; these can.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Connects to the inspector websocket at `wsUrl`; `poke()` makes the isolate run it (workerd). */
export async function connect(wsUrl, poke = async () => {}) {
  const WebSocket = createRequire(join(process.env.PAYHOOK_TOOLS, 'package.json'))('ws');
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  let contextId; // workerd has no default context: evaluate in the one it announces
  const pending = new Map();
  ws.on('message', (data) => {
    const message = JSON.parse(data);
    if (message.method === 'Runtime.executionContextCreated') contextId ??= message.params.context.id;
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  // workerd runs inspector commands only while its isolate is busy: poke it until answered.
  const call = async (method, params = {}) => {
    const answer = new Promise((resolve) => pending.set(++id, resolve));
    ws.send(JSON.stringify({ id, method, params }));
    for (let waited = 0, done = false; !done; waited += 200) {
      if (waited > 30_000) throw new Error(`the inspector did not answer ${method} within 30 s`);
      done = await Promise.race([answer.then(() => true), new Promise((r) => setTimeout(r, 200, false))]);
      if (!done) await poke();
    }
    const { result, error } = await answer;
    if (error) throw new Error(`${method}: ${error.message}`);
    return result;
  };
  await call('Runtime.enable');
  await call('HeapProfiler.enable');

  return {
    /** Full GC, then { heap: used JS heap bytes, wasm: bytes of all wasm memories }. */
    async measure() {
      await call('HeapProfiler.collectGarbage');
      const { usedSize } = await call('Runtime.getHeapUsage');
      const { result: proto } = await call('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', objectGroup: 'load', contextId });
      const { objects } = await call('Runtime.queryObjects', { prototypeObjectId: proto.objectId, objectGroup: 'load' });
      const { result } = await call('Runtime.callFunctionOn', {
        objectId: objects.objectId,
        functionDeclaration: 'function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }',
        returnByValue: true,
      });
      await call('Runtime.releaseObjectGroup', { objectGroup: 'load' });
      return { heap: usedSize, wasm: result.value };
    },
    close: () => ws.close(),
  };
}
