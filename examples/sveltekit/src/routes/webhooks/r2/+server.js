import { onEvent, webhooks } from '$lib/server/webhooks.js';

// The Request itself (payhook reads its body once, as the signed bytes), and the socket:
// adapter-node's platform.req, whatever ADDRESS_HEADER makes getClientAddress() say.
export const POST = ({ request, platform }) => webhooks().r2.handle(request, onEvent, { peer: platform.req });
