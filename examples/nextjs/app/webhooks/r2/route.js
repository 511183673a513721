import { onEvent, peer, webhooks } from '../../../lib/webhooks.js';

export const runtime = 'nodejs'; // payhook's Node entry; the Edge runtime has no socket peer

// The Request itself: payhook reads its body once, as the signed bytes.
export const POST = (request) => webhooks().r2.handle(request, onEvent, { peer: peer() });
