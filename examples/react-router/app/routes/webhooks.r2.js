import { onEvent, r2 } from '../webhooks.server.js';

// The body can be read once: hand payhook the untouched Request (it reads the signed bytes),
// and the socket peer server.js put in the load context.
export const action = ({ request, context }) => r2.handle(request, onEvent, { peer: context.peer });
