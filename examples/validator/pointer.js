// JSON Pointer (RFC 6901) -> character range in the JSON text as it was written.
//
// payhook reports every payload problem with a JSON Pointer into the body. To highlight it in
// the text the person pasted, this module walks the text itself (JSON.parse would lose the
// positions), tolerantly: invalid JSON stops the walk where it breaks and keeps what came
// before, duplicate keys are all kept (in order), and nothing here throws for any input.
// Offsets are JavaScript string indices (UTF-16 code units), as textarea selections use.
// Plain ES module, no DOM: the page and the Node tests import the same file.

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * A pointer's reference tokens (`/a~1b/0` -> ['a/b', '0']), or null when it is not a pointer.
 * `""` is the whole document: [].
 */
export function parsePointer(pointer) {
  if (typeof pointer !== 'string') return null;
  if (pointer === '') return [];
  if (pointer[0] !== '/') return null;
  const tokens = [];
  for (const raw of pointer.slice(1).split('/')) {
    if (/~(?![01])/.test(raw)) return null;
    tokens.push(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return tokens;
}

/**
 * Walks a JSON text into a tree of positioned nodes:
 *   { type: 'object'|'array'|'string'|'number'|'literal', start, end, complete,
 *     members?: [{ key, keyStart, keyEnd, value }], items?: [node] }
 * `end` is exclusive. On invalid JSON, `error` is { offset, message } and the tree holds what
 * was read before it (incomplete nodes end where the text broke off).
 */
export function scanJson(text) {
  const src = typeof text === 'string' ? text : '';
  let i = 0;
  let error = null;
  const fail = (message) => {
    if (!error) error = { offset: Math.min(i, src.length), message };
    return null;
  };
  const ws = () => {
    for (;;) {
      const c = src.charCodeAt(i);
      // space, tab, LF, CR, and a byte order mark (payhook reports it separately)
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) i++;
      else return;
    }
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') i += 2;
      else if (c === '"') {
        i++;
        let value;
        try {
          value = JSON.parse(src.slice(start, i));
        } catch {
          value = src.slice(start + 1, i - 1); // bad escape or control character: keep it raw
        }
        return { type: 'string', start, end: i, complete: true, value };
      } else if (c === '\n') break;
      else i++;
    }
    i = Math.min(i, src.length);
    fail('unterminated string');
    return { type: 'string', start, end: i, complete: false, value: src.slice(start + 1, i) };
  };
  const value = (depth) => {
    ws();
    if (i >= src.length) return fail('unexpected end of text');
    if (depth > MAX_DEPTH) return fail('nested too deeply');
    const c = src[i];
    const start = i;
    if (c === '{') {
      const node = { type: 'object', start, end: start, complete: false, members: [] };
      i++;
      ws();
      if (src[i] === '}') {
        i++;
        return Object.assign(node, { end: i, complete: true });
      }
      for (;;) {
        ws();
        if (src[i] !== '"') {
          fail('expected a member name');
          break;
        }
        const key = string();
        if (!key.complete) break;
        ws();
        if (src[i] !== ':') {
          fail('expected `:`');
          break;
        }
        i++;
        const member = value(depth + 1);
        if (!member) break;
        node.members.push({ key: String(key.value), keyStart: key.start, keyEnd: key.end, value: member });
        if (!member.complete) break;
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === '}') {
          i++;
          return Object.assign(node, { end: i, complete: true });
        }
        fail('expected `,` or `}`');
        break;
      }
      node.end = i;
      return node;
    }
    if (c === '[') {
      const node = { type: 'array', start, end: start, complete: false, items: [] };
      i++;
      ws();
      if (src[i] === ']') {
        i++;
        return Object.assign(node, { end: i, complete: true });
      }
      for (;;) {
        const item = value(depth + 1);
        if (!item) break;
        node.items.push(item);
        if (!item.complete) break;
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ']') {
          i++;
          return Object.assign(node, { end: i, complete: true });
        }
        fail('expected `,` or `]`');
        break;
      }
      node.end = i;
      return node;
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (src.startsWith(word, i)) {
        i += word.length;
        return { type: 'literal', start, end: i, complete: true };
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(src);
    if (m && m[0].length > 0) {
      i += m[0].length;
      return { type: 'number', start, end: i, complete: true };
    }
    return fail('unexpected character');
  };
  const root = value(0);
  if (root && root.complete) {
    ws();
    if (i < src.length) fail('text after the JSON value');
  }
  return { root, error };
}

/**
 * Where `pointer` is in `text`.
 * - found: { found: true, start, end, keyStart?, keyEnd?, occurrences } — the value's range
 *   (the last member when a key is repeated, as JSON.parse would take), its member name's
 *   range when it is an object member, and every member of that name in its object
 *   (`[{ keyStart, keyEnd, start, end }]`, in text order; one unless the key is repeated).
 * - not found (a missing member, an index past the end, or JSON broken before it):
 *   { found: false, start, end, keyStart?, keyEnd?, resolved } — the deepest ancestor that
 *   exists, and how many tokens of the pointer reached it.
 * - null when the pointer is not a JSON Pointer or the text holds no JSON value at all.
 */
export function locatePointer(text, pointer) {
  const tokens = parsePointer(pointer);
  if (!tokens) return null;
  const { root } = scanJson(text);
  if (!root) return null;
  let node = root;
  let here = { start: root.start, end: root.end };
  let occurrences = [];
  for (let depth = 0; depth < tokens.length; depth++) {
    const token = tokens[depth];
    let next = null;
    if (node.type === 'object') {
      const same = node.members.filter((m) => m.key === token);
      if (same.length) {
        const last = same[same.length - 1];
        next = last.value;
        here = { start: last.value.start, end: last.value.end, keyStart: last.keyStart, keyEnd: last.keyEnd };
        occurrences = same.map((m) => ({ keyStart: m.keyStart, keyEnd: m.keyEnd, start: m.value.start, end: m.value.end }));
      }
    } else if (node.type === 'array' && /^(?:0|[1-9][0-9]*)$/.test(token)) {
      const item = node.items[Number(token)];
      if (item) {
        next = item;
        here = { start: item.start, end: item.end };
        occurrences = [];
      }
    }
    if (!next) return { found: false, ...here, resolved: depth };
    node = next;
  }
  return { found: true, ...here, occurrences };
}

/**
 * The string offset of a `line N column M` position as serde_json reports it (both from 1;
 * the column counts UTF-8 bytes). Clamped to the text.
 */
export function lineColumnOffset(text, line, column) {
  const src = typeof text === 'string' ? text : '';
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = src.indexOf('\n', offset);
    if (nl < 0) return src.length;
    offset = nl + 1;
  }
  let bytes = 0;
  while (offset < src.length && src[offset] !== '\n') {
    const c = src.codePointAt(offset);
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + size >= column) break;
    bytes += size;
    offset += c > 0xffff ? 2 : 1;
  }
  return offset;
}

/**
 * The ranges to highlight for one payhook issue ({ path, code, message }):
 * [{ start, end, exact }], where `exact` says the range is the value at the path (or, for
 * `duplicate_key`, a repeated member); otherwise it marks the nearest place: the member name
 * of the object a `missing` field belongs in, or the character a syntax error points at.
 * Empty when there is nothing useful to mark (e.g. an empty body).
 */
export function issueRanges(text, issue) {
  const src = typeof text === 'string' ? text : '';
  if (!issue || typeof issue.path !== 'string') return [];
  if (issue.path === '') {
    const at = /line (\d+) column (\d+)/.exec(issue.message ?? '');
    if (at && src.length) {
      const offset = Math.min(lineColumnOffset(src, Number(at[1]), Number(at[2])), src.length - 1);
      return [{ start: offset, end: offset + 1, exact: false }];
    }
    if (issue.code === 'bom' && src.charCodeAt(0) === 0xfeff) return [{ start: 0, end: 1, exact: false }];
    return [];
  }
  const where = locatePointer(src, issue.path);
  if (!where) return [];
  if (where.found) {
    if (issue.code === 'duplicate_key' && where.occurrences.length > 1) {
      return where.occurrences.slice(1).map((o) => ({ start: o.keyStart, end: o.end, exact: true }));
    }
    return [{ start: where.start, end: where.end, exact: true }];
  }
  // Missing: mark the name of the object it should be in, or that object's opening brace.
  if (where.keyStart !== undefined) return [{ start: where.keyStart, end: where.keyEnd, exact: false }];
  return [{ start: where.start, end: Math.min(where.start + 1, src.length), exact: false }];
}

/**
 * Splits `text` into segments by a list of possibly overlapping ranges, each with the ids
 * covering it: [{ start, end, ids: [] }]. For rendering nested highlights without nesting.
 */
export function segment(text, ranges) {
  const length = typeof text === 'string' ? text.length : 0;
  const cuts = new Set([0, length]);
  const clean = [];
  for (const r of ranges) {
    const start = Math.max(0, Math.min(length, r.start));
    const end = Math.max(start, Math.min(length, r.end));
    if (end > start) {
      clean.push({ ...r, start, end });
      cuts.add(start);
      cuts.add(end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const start = points[k];
    const end = points[k + 1];
    const ids = clean.filter((r) => r.start <= start && r.end >= end).map((r) => r.id);
    out.push({ start, end, ids });
  }
  return out;
}
