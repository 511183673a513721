// adapter-node's own `node build` prints "Listening on …"; this is its documented custom
// server (build/handler.js on node:http), printing the contract's line with the real port.
import { createServer } from 'node:http';
import { handler } from './build/handler.js';

const server = createServer(handler);
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
