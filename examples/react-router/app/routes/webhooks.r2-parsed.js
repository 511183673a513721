// The mistake, on purpose: `await request.json()` before payhook. The body can be read only
// once, the signed bytes are gone, and payhook refuses the parsed object (500 body_not_raw)
// rather than report a bad signature.
import { PayhookError } from 'payhook';
import { onEvent, r2 } from '../webhooks.server.js';

export async function action({ request, context }) {
  const body = await request.json(); // wrong: pass `request` itself
  try {
    const answer = await r2.handle({ body, headers: request.headers, peer: context.peer }, onEvent);
    return new Response(answer.body, answer);
  } catch (error) {
    if (!(error instanceof PayhookError)) throw error;
    return Response.json({ error: error.code, message: error.message }, { status: error.status });
  }
}
