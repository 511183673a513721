import { onEvent, peer, webhooks } from '../../../lib/webhooks.js';

export const runtime = 'nodejs';

export const POST = (request) => webhooks().belvo.handle(request, onEvent, { peer: peer() });
