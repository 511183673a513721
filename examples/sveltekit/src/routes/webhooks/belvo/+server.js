import { onEvent, webhooks } from '$lib/server/webhooks.js';

export const POST = ({ request, platform }) => webhooks().belvo.handle(request, onEvent, { peer: platform.req });
