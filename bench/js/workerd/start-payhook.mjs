// A Worker that loads payhook and answers with one fact from it: what "start" costs with it.
import { R2_ALLOWLIST } from 'payhook';

export default {
  fetch: () => new Response(String(R2_ALLOWLIST.size)),
};
