// Deno, workerd and browsers: the vectors as JSON modules. Deno needs no read permission for
// them, esbuild inlines them into bundles, and Chromium loads them natively when unbundled.
// Keep these keys in step with vectorFiles in ../suites/index.mjs.
import r2_signature from '../../vectors/r2_signature.json' with { type: 'json' };
import belvo_authorization from '../../vectors/belvo_authorization.json' with { type: 'json' };
import client_ip from '../../vectors/client_ip.json' with { type: 'json' };
import payloads_invalid from '../../vectors/payloads_invalid.json' with { type: 'json' };
import dedup_keys from '../../vectors/dedup_keys.json' with { type: 'json' };
import dedup_key_spellings from '../../vectors/dedup_key_spellings.json' with { type: 'json' };

export const vectors = { r2_signature, belvo_authorization, client_ip, payloads_invalid, dedup_keys, dedup_key_spellings };
