// Turns the results into the markdown table (target/bench/results.md), the chart
// (docs/bench.svg, drawn here: no charting library) and the list of the issue's targets,
// each marked met or not with the numbers measured.
import { fmtNs, fmtOps } from './harness.mjs';

const find = (results, comparisonId) => {
  for (const group of results.groups) {
    const c = group.comparisons.find((x) => x.id === comparisonId);
    if (c) return c;
  }
  return null;
};
const primary = (c) => c.rows.find((r) => r.payhook && !r.secondary) ?? c.rows.find((r) => r.payhook);
const row = (c, prefix) => c?.rows.find((r) => r.impl.startsWith(prefix));

/** payhook's median over this row's: below 1 payhook is faster. */
export function ratio(c, r) {
  const p = primary(c);
  return p && r && !r.payhook ? p.median / r.median : null;
}

/** "3.2× faster" / "1.8× slower", as the payhook row compares with another. */
export function verdict(x) {
  if (x === null || !Number.isFinite(x)) return '';
  return x <= 1 ? `payhook ${(1 / x).toFixed(1)}× faster` : `payhook ${x.toFixed(1)}× slower`;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const mbps = (bytes, ns) => bytes / (ns / 1e9) / 1e6;

/**
 * The wasm build's 1 MiB signature check beside the same Rust natively with the portable
 * SHA-256 (results.native: bench/native/core.rs, written by scripts/bench.sh), both in MB/s, and
 * wasm ÷ native. Null when either was not measured.
 */
export function wasmNative(results) {
  const c = find(results, `signature-${1 << 20}`);
  const n = results.native;
  if (!c || !n?.medianNs) return null;
  const p = primary(c);
  const wasm = mbps(c.bytes, p.median);
  const native = mbps(n.bytes, n.medianNs);
  // The two are timed one after the other, so load that hits one and not the other moves the
  // ratio of medians; the ratio of the p10s (the fast samples, least touched by load) too.
  const ratioP10 = n.p10Ns ? mbps(c.bytes, p.p10) / mbps(n.bytes, n.p10Ns) : null;
  return { wasm, native, ratio: wasm / native, ratioP10, backend: n.sha256Backend };
}

/** "HMAC 1 MiB: wasm X MB/s, native portable Y MB/s, ratio Z%" (medians; p10s in brackets). */
export function wasmNativeLine(x) {
  const p10 = x.ratioP10 === null ? '' : ` (of the p10s: ${(100 * x.ratioP10).toFixed(1)}%)`;
  return `HMAC 1 MiB: wasm ${x.wasm.toFixed(0)} MB/s, native portable ${x.native.toFixed(0)} MB/s, ratio ${(100 * x.ratio).toFixed(1)}%${p10}`;
}

const ms = (s) => `${s.median.toFixed(2)} ms (p10–p90 ${s.p10.toFixed(2)}–${s.p90.toFixed(2)})`;

/** The issue's targets, each { target, measured, met } (met: true, false or null = not measured). */
export function targets(results) {
  const out = [];
  const node = find(results, 'delivery-node');
  if (node) {
    const p = primary(node);
    const idiomatic = row(node, 'proxy-addr');
    const web = row(node, 'the same with WebCrypto');
    const a = idiomatic.median / p.median;
    const b = web.median / p.median;
    out.push({ target: 'whole delivery (Node): ≥ 1.5× faster than the idiomatic Node stack', measured: `${a.toFixed(2)}× (${fmtNs(p.median)} vs ${fmtNs(idiomatic.median)})`, met: a >= 1.5 });
    out.push({ target: 'whole delivery (Node): ≥ 8× faster than the WebCrypto stack', measured: `${b.toFixed(2)}× (${fmtNs(p.median)} vs ${fmtNs(web.median)})`, met: b >= 8 });
  }
  const wd = find(results, 'delivery-workerd');
  if (wd) {
    const p = primary(wd);
    const web = row(wd, 'CF-Connecting-IP');
    const b = web.median / p.median;
    out.push({ target: 'whole delivery (workerd): ≥ 8× faster than the WebCrypto Worker', measured: `${b.toFixed(2)}× (${fmtNs(p.median)} vs ${fmtNs(web.median)})`, met: b >= 8 });
    const parts = find(results, 'delivery-workerd-parts');
    if (parts) {
      const pp = primary(parts);
      const wp = row(parts, 'the idiomatic checks');
      out.push({ target: '  … the checks alone (body already read)', measured: `${(wp.median / pp.median).toFixed(2)}× (${fmtNs(pp.median)} vs ${fmtNs(wp.median)})`, met: wp.median / pp.median >= 8 });
    }
  }
  const sig = (size) => find(results, `signature-${size}`);
  const s256 = sig(256);
  if (s256) {
    const p = primary(s256);
    const n = row(s256, 'node:crypto');
    out.push({ target: 'signature, 256 B: faster than node:crypto', measured: `payhook ${fmtNs(p.median)}, node:crypto ${fmtNs(n.median)}: ${(p.median / n.median).toFixed(2)}× its time`, met: p.median < n.median });
  }
  const s1k = sig(1024);
  if (s1k) {
    const p = primary(s1k);
    const n = row(s1k, 'node:crypto');
    out.push({ target: 'signature, 1 KiB: within 1.2× of node:crypto', measured: `payhook ${fmtNs(p.median)}, node:crypto ${fmtNs(n.median)}: ${(p.median / n.median).toFixed(2)}×`, met: p.median <= 1.2 * n.median });
  }
  const s1m = sig(1 << 20);
  if (s1m) {
    const p = primary(s1m);
    const n = row(s1m, 'node:crypto');
    const mbs = (r) => mbps(1 << 20, r.median);
    const x = wasmNative(results);
    const native = x ? `native Rust, portable SHA-256 (${x.backend}) ${x.native.toFixed(0)} MB/s: wasm at ${(100 * x.ratio).toFixed(1)}% of it${x.ratioP10 === null ? '' : ` (${(100 * x.ratioP10).toFixed(1)}% comparing p10s)`}` : 'native portable SHA-256 not measured (scripts/bench.sh runs bench/native/core.rs for it)';
    out.push({ target: 'signature, 1 MiB: ≥ 95% of native portable SHA-256', measured: `wasm ${mbs(p).toFixed(0)} MB/s; ${native}; node:crypto (SHA-NI) ${mbs(n).toFixed(0)} MB/s`, met: x ? x.ratio >= 0.95 : null });
  }
  const size = results.startup?.sizes;
  if (size) out.push({ target: '.wasm ≤ 64 KiB gzip', measured: `${kib(size.wasmGzip)} gzip (${kib(size.wasmRaw)} raw)`, met: size.wasmGzip <= 64 * 1024 });
  const start = results.startup?.node;
  if (start) {
    const both = start.compile.median + start.instantiate.median;
    out.push({ target: 'module instantiation < 5 ms (Node)', measured: `instantiate ${start.instantiate.median.toFixed(2)} ms; compile + instantiate ${both.toFixed(2)} ms; whole import('payhook') ${start.importPayhook.median.toFixed(1)} ms`, met: both < 5 });
  }
  const mem = results.startup?.memory;
  if (mem?.points) {
    const first = mem.points[1] ?? mem.points[0];
    const last = mem.points[mem.points.length - 1];
    out.push({ target: 'linear memory flat over 1,000,000 deliveries', measured: `${mem.done.toLocaleString('en')} deliveries: wasm memory ${kib(first.wasmBytes)} after 1 → ${kib(last.wasmBytes)} after ${last.deliveries.toLocaleString('en')}`, met: mem.done >= 1_000_000 ? last.wasmBytes === first.wasmBytes : null });
  }
  return out;
}

export function markdown(results) {
  const lines = [];
  const m = results.machine;
  lines.push(`Measured ${m.date} on ${m.cpu}, ${m.nproc} cores (${m.os}), Node ${m.node}; whole run ${m.seconds} s; load average ${m.loadStart} at the start, ${m.loadEnd} at the end. payhook ${results.versions.payhook} (.wasm sha256 ${results.package?.wasmSha256?.slice(0, 12) ?? '?'}${results.package?.tarballModified ? `, tarball of ${results.package.tarballModified.slice(0, 16).replace('T', ' ')} UTC` : ''}); ${Object.entries(results.versions.alternatives).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  lines.push('');
  lines.push('Each row: median time per operation over the samples (each sample a batch of calls), the p10–p90 spread of the samples, operations per second at the median, and payhook\'s median divided by that row\'s (below 1: payhook is faster).');
  for (const group of results.groups) {
    lines.push('', `### ${group.title}`, '', group.note, '');
    lines.push('| case | implementation | median | p10–p90 | ops/s | payhook ÷ this |');
    lines.push('|---|---|---:|---:|---:|---:|');
    for (const c of group.comparisons) {
      c.rows.forEach((r, i) => {
        const x = ratio(c, r);
        const mark = r.payhook ? `**${r.impl}**` : r.impl;
        const cell = r.payhook ? (r.secondary ? '(payhook)' : '—') : r.reference ? `${x.toFixed(2)} (reference)` : `${x.toFixed(2)} (${verdict(x).replace('payhook ', '')})`;
        lines.push(`| ${i === 0 ? c.title : ''} | ${mark} | ${fmtNs(r.median)} | ${fmtNs(r.p10)}–${fmtNs(r.p90)} | ${fmtOps(r.opsPerSec)} | ${cell} |`);
      });
    }
    const x = group.id === 'signature' && wasmNative(results);
    if (x) lines.push('', `${wasmNativeLine(x)}: the wasm build's verifyR2Signature beside the same Rust run natively (bench/native/core.rs, \`verify_signature\`, secret per call, same release profile) with sha2's portable SHA-256 forced (${x.backend}), measured just before this run (load average ${results.native.loadavg}).`);
  }
  if (results.breakdown) {
    lines.push('', `### ${results.breakdown.title}`, '', results.breakdown.note, '');
    lines.push('| payhook call | median | p10–p90 |', '|---|---:|---:|');
    for (const r of results.breakdown.rows) lines.push(`| ${r.impl} | ${fmtNs(r.median)} | ${fmtNs(r.p10)}–${fmtNs(r.p90)} |`);
  }
  const st = results.startup;
  if (st && Object.keys(st).length) {
    lines.push('', '### Size and start', '');
    lines.push('| what | measured |', '|---|---:|');
    if (st.sizes) {
      lines.push(`| .wasm raw | ${st.sizes.wasmRaw.toLocaleString('en')} B (${kib(st.sizes.wasmRaw)}) |`);
      lines.push(`| .wasm gzip -9 | ${st.sizes.wasmGzip.toLocaleString('en')} B (${kib(st.sizes.wasmGzip)}) |`);
      lines.push(`| .wasm brotli | ${st.sizes.wasmBrotli.toLocaleString('en')} B (${kib(st.sizes.wasmBrotli)}) |`);
      lines.push(`| ESM glue + wrappers (Node entry) | ${st.sizes.jsEsmRaw.toLocaleString('en')} B |`);
      if (st.sizes.tarball) lines.push(`| packed tarball | ${st.sizes.tarball.toLocaleString('en')} B (${kib(st.sizes.tarball)}) |`);
    }
    if (st.node) {
      lines.push(`| Node, fresh process: \`await import('payhook')\` (median of ${st.node.runs}) | ${ms(st.node.importPayhook)} |`);
      lines.push(`| Node: read the .wasm | ${ms(st.node.read)} |`);
      lines.push(`| Node: \`new WebAssembly.Module\` (compile) | ${ms(st.node.compile)} |`);
      lines.push(`| Node: \`initSync\` (instantiate) | ${ms(st.node.instantiate)} |`);
      lines.push(`| Node: whole process with payhook vs without | ${st.node.processWithPayhook.median.toFixed(1)} ms vs ${st.node.processEmpty.median.toFixed(1)} ms (+${(st.node.processWithPayhook.median - st.node.processEmpty.median).toFixed(1)} ms) |`);
    }
    if (st.workerd) {
      lines.push(`| workerd: miniflare start + first request, with payhook vs without (median of ${st.workerd.runs}) | ${st.workerd.payhook.median.toFixed(1)} ms vs ${st.workerd.empty.median.toFixed(1)} ms (+${(st.workerd.payhook.median - st.workerd.empty.median).toFixed(1)} ms) |`);
    }
    if (st.memory?.points) {
      const pts = st.memory.points.map((p) => `${p.deliveries.toLocaleString('en')}: ${kib(p.wasmBytes)}`).join(', ');
      lines.push(`| wasm linear memory after N whole deliveries (${st.memory.done.toLocaleString('en')} run in ${st.memory.seconds.toFixed(0)} s) | ${pts} |`);
      const rss = st.memory.points.map((p) => `${(p.rssBytes / 2 ** 20).toFixed(0)}`).join(' → ');
      lines.push(`| process RSS at the same points (MiB) | ${rss} |`);
    }
  }
  lines.push('', '### Targets (issue 8)', '', '| target | measured | met |', '|---|---|---|');
  for (const t of results.targets) lines.push(`| ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The chart: for every comparison, one bar per alternative, the ratio payhook time ÷ its
 * time on a log scale around 1. Bars to the left: payhook is faster.
 */
export function svg(results) {
  const bars = [];
  for (const group of results.groups) {
    bars.push({ heading: group.title });
    for (const c of group.comparisons) {
      for (const r of c.rows) {
        if (r.payhook || r.reference) continue;
        bars.push({ label: `${c.short ?? c.title}: vs ${r.short ?? r.impl}`, x: ratio(c, r) });
      }
    }
  }
  const values = bars.filter((b) => b.x).map((b) => Math.log10(b.x));
  const lo = Math.min(-1, Math.floor(Math.min(...values)));
  const hi = Math.max(1, Math.ceil(Math.max(...values)));
  const W = 1000;
  const labelW = 350;
  const plotX = labelW + 10;
  const plotW = W - plotX - 100;
  const rowH = 17;
  const top = 58;
  const H = top + bars.length * rowH + 40;
  const px = (v) => plotX + ((v - lo) / (hi - lo)) * plotW;
  const one = px(0);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="10" y="18" font-size="14" font-weight="600">payhook's time ÷ the alternative's time (log scale): left of 1, payhook is faster</text>`);
  const m = results.machine;
  out.push(`<text x="10" y="34" fill="#555">${esc(`Node ${m.node}, ${m.cpu}, ${m.nproc} cores, ${m.date}. Medians of interleaved samples; bench/ and scripts/bench.sh.`)}</text>`);
  for (let e = lo; e <= hi; e++) {
    const x = px(e);
    out.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${H - 30}" stroke="${e === 0 ? '#333' : '#ddd'}" stroke-width="${e === 0 ? 1.2 : 1}"/>`);
    const tick = e === 0 ? '1' : e < 0 ? `1/${10 ** -e}` : `${10 ** e}`;
    out.push(`<text x="${x}" y="${H - 16}" text-anchor="middle" fill="#555">${tick}</text>`);
  }
  out.push(`<text x="${one - 6}" y="${top - 10}" text-anchor="end" fill="#1a7f37">← payhook faster</text>`);
  out.push(`<text x="${one + 6}" y="${top - 10}" fill="#b42318">payhook slower →</text>`);
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    if (b.heading) {
      out.push(`<text x="10" y="${y + 12}" font-weight="600">${esc(b.heading)}</text>`);
      return;
    }
    const v = Math.log10(b.x);
    const x = px(v);
    const faster = b.x <= 1;
    out.push(`<text x="${labelW}" y="${y + 12}" text-anchor="end" fill="#222">${esc(b.label.length > 60 ? `${b.label.slice(0, 59)}…` : b.label)}</text>`);
    out.push(`<rect x="${Math.min(x, one)}" y="${y + 3}" width="${Math.max(1, Math.abs(x - one))}" height="${rowH - 6}" fill="${faster ? '#2da44e' : '#e5534b'}"/>`);
    const text = faster ? `${(1 / b.x).toFixed(1)}× faster` : `${b.x.toFixed(1)}× slower`;
    out.push(`<text x="${faster ? one + 4 : Math.max(x, one) + 4}" y="${y + 12}" fill="#222">${text}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
