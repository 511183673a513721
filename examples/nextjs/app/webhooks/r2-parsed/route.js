// The mistake, on purpose: `await request.json()` before payhook. The signed bytes are gone,
// and payhook refuses the parsed object (500 body_not_raw) rather than report a bad signature.
import { PayhookError } from 'payhook';
import { onEvent, peer, webhooks } from '../../../lib/webhooks.js';

export const runtime = 'nodejs';

export async function POST(request) {
  const body = await request.json(); // wrong: pass `request` itself
  try {
    const answer = await webhooks().r2.handle({ body, headers: request.headers, peer: peer() }, onEvent);
    return new Response(answer.body, answer);
  } catch (error) {
    if (!(error instanceof PayhookError)) throw error;
    return Response.json({ error: error.code, message: error.message }, { status: error.status });
  }
}
