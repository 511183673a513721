// Debian's Chromium driven by playwright-core, and the static server the pages are loaded
// from: shared by the runtime matrix's Chromium runner and the validator page's test.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';

export const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The flags toolchain.md found necessary here (root, no GPU, no network of its own). */
const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launches headless Chromium with `playwright` (the playwright-core module). */
export function launchChromium(playwright) {
  return playwright.chromium.launch({ executablePath, headless: true, args: flags });
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/**
 * Serves `root` read-only on 127.0.0.1, as the README's static servers do: GET only, nothing
 * outside it, a directory as its index.html. Resolves to the listening server.
 */
export function serveStatic(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = resolve(root, `.${path}${path.endsWith('/') ? 'index.html' : ''}`);
    if (req.method !== 'GET' || !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
