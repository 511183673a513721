// Chromium (Debian's /usr/bin/chromium driven by playwright-core), two pages served from the
// scratch project by a small node:http server on 127.0.0.1:
//   chromium-bundle  an esbuild bundle (--platform=browser) of browser-entry.mjs + the package,
//                    with payhook_bg.wasm copied beside it (web.js fetches it relative to
//                    import.meta.url, which esbuild leaves as it is);
//   chromium-module  browser-entry.mjs unbundled, `payhook` mapped by an import map to the
//                    package's `browser` entry, read from its package.json exports.
// Usage (from the scratch project): PAYHOOK_TOOLS=... node js-tests/runners/chromium.mjs [bundle|module]...
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { executablePath, launchChromium, serveStatic } from '../lib/chromium.mjs';
import { bundle, scratch, tools } from './tools.mjs';
import { notStarted } from './core.mjs';

/** The file the `browser` condition picks for `subpath`, read from the installed package's exports. */
function browserEntry(subpath = '.') {
  const pkg = JSON.parse(readFileSync(join(scratch, 'node_modules', 'payhook', 'package.json'), 'utf8'));
  const dot = pkg.exports?.[subpath] ?? (subpath === '.' ? pkg.exports : undefined);
  const pick = (value) => {
    if (typeof value === 'string') return value;
    for (const [condition, target] of Object.entries(value ?? {})) {
      if (['browser', 'import', 'default'].includes(condition)) {
        const found = pick(target);
        if (found) return found;
      }
    }
    return undefined;
  };
  const entry = pick(dot) ?? (subpath === '.' ? pkg.browser ?? pkg.module : undefined);
  if (!entry) throw new Error(`payhook has no browser entry for ${subpath} in its exports`);
  return `/node_modules/payhook/${entry.replace(/^\.\//, '')}`;
}

async function preparePages(wanted) {
  const outdir = join(scratch, 'out', 'browser');
  mkdirSync(outdir, { recursive: true });
  const base = `/${relative(scratch, outdir).split(sep).join('/')}`;
  const page = (runtime, head, script) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${runtime}</title><link rel="icon" href="data:,">
<script>
  window.__runtime = ${JSON.stringify(runtime)};
  window.addEventListener('error', (e) => { window.__startError ??= String(e.error?.stack ?? e.message); });
  window.addEventListener('unhandledrejection', (e) => { window.__startError ??= String(e.reason?.stack ?? e.reason); });
</script>
${head}</head><body>${script}</body></html>
`;
  if (wanted.includes('bundle')) {
    await bundle({
      entry: 'js-tests/runners/browser-entry.mjs',
      outdir,
      outName: 'bundle.mjs',
      platform: 'browser',
      conditions: [],
    });
    // esbuild keeps `new URL('./payhook_bg.wasm', import.meta.url)` as written: the files must sit
    // beside the bundle, as a user of a plain esbuild build must arrange too (the tools' module
    // only when the page uses payhook/tools, as this one does).
    for (const file of ['payhook_bg.wasm', 'payhook_tools_bg.wasm']) {
      copyFileSync(join(scratch, 'node_modules', 'payhook', file), join(outdir, file));
    }
    writeFileSync(join(outdir, 'bundle.html'), page('chromium-bundle', '', `<script type="module" src="${base}/bundle.mjs"></script>`));
  }
  if (wanted.includes('module')) {
    const importMap = { imports: { payhook: browserEntry(), 'payhook/tools': browserEntry('./tools') } };
    writeFileSync(join(outdir, 'module.html'), page('chromium-module',
      `<script type="importmap">${JSON.stringify(importMap)}</script>\n`,
      '<script type="module" src="/js-tests/runners/browser-entry.mjs"></script>'));
    console.log(`# import map ${JSON.stringify(importMap)}`);
  }
  return { bundle: `${base}/bundle.html`, module: `${base}/module.html` };
}

async function runPage(browser, origin, runtime, path) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  try {
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => window.__results !== undefined || window.__startError !== undefined, null, { timeout: 180_000 });
    const { results, startError } = await page.evaluate(() => ({ results: window.__results, startError: window.__startError }));
    if (!results) throw new Error(`${startError}\n${problems.join('\n')}`);
    results.lines.unshift(...problems.map((p) => `# ${p}`));
    return results;
  } catch (error) {
    return notStarted(runtime, new Error(`${error.message}\n${problems.join('\n')}`));
  } finally {
    await page.close();
  }
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['bundle', 'module'];
const unknown = wanted.filter((kind) => !['bundle', 'module'].includes(kind));
if (unknown.length) throw new Error(`unknown page kind(s): ${unknown.join(', ')} (bundle, module)`);
let browser;
let server;
let failed = false;
try {
  const paths = await preparePages(wanted);
  server = await serveStatic(scratch);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = tools()('playwright-core');
  browser = await launchChromium({ chromium });
  console.log(`# ${executablePath} ${browser.version()}`);
  for (const kind of wanted) {
    const runtime = `chromium-${kind}`;
    const result = await runPage(browser, origin, runtime, paths[kind]);
    for (const line of result.lines) console.log(line);
    if (result.failed !== 0 || result.passed === 0) failed = true;
  }
} catch (error) {
  // Could not build, serve or launch: every wanted page fails to start.
  for (const kind of wanted) for (const line of notStarted(`chromium-${kind}`, error).lines) console.log(line);
  failed = true;
} finally {
  await browser?.close();
  server?.close();
}
process.exitCode = failed ? 1 : 0;
