// The mistake, on purpose: `await request.json()` before payhook. The signed bytes are gone,
// and payhook refuses the parsed object (500 body_not_raw) rather than report a bad signature.
import { json } from '@sveltejs/kit';
import { PayhookError } from 'payhook';
import { onEvent, webhooks } from '$lib/server/webhooks.js';

export async function POST({ request, platform }) {
  const body = await request.json(); // wrong: pass `request` itself
  try {
    const answer = await webhooks().r2.handle({ body, headers: request.headers, peer: platform.req }, onEvent);
    return new Response(answer.body, answer);
  } catch (error) {
    if (!(error instanceof PayhookError)) throw error;
    return json({ error: error.code, message: error.message }, { status: error.status });
  }
}
