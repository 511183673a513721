// The built app on node:http. react-router-serve gives actions no way to see the socket, so
// this server puts the socket peer in the load context: `context.peer` in an action.
import { createServer } from 'node:http';
import { createRequestListener } from '@react-router/node';
import * as build from './build/server/index.js';

const listener = createRequestListener({ build, getLoadContext: (request, client) => ({ peer: client.address ?? null }) });
const server = createServer(listener);
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
