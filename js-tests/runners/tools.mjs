// Node-side helpers for the runners that drive another runtime (workerd, Chromium): find the
// tools project (PAYHOOK_TOOLS, installed by scripts/runtimes.sh), bundle with its esbuild,
// and print a result the way the in-process runners do.
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const scratch = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function tools() {
  const dir = process.env.PAYHOOK_TOOLS;
  if (!dir) throw new Error('set PAYHOOK_TOOLS to the tools project (scripts/runtimes.sh does)');
  return createRequire(join(resolve(dir), 'package.json'));
}

/**
 * Bundles entry into outdir/outName with esbuild. Every `.wasm` import is kept as an external
 * import of a file copied beside the bundle (wrangler's way: the host makes it a compiled
 * module); returns { outfile, wasm: [absolute paths of the copies], entryFile }.
 */
export async function bundle({ entry, outdir, outName, platform, conditions }) {
  const esbuild = tools()('esbuild');
  mkdirSync(outdir, { recursive: true });
  const wasm = [];
  const wasmExternal = {
    name: 'wasm-external',
    setup(build) {
      build.onResolve({ filter: /\.wasm$/ }, (args) => {
        const source = resolve(args.resolveDir, args.path);
        const copy = join(outdir, basename(source));
        copyFileSync(source, copy);
        if (!wasm.includes(copy)) wasm.push(copy);
        return { path: `./${basename(source)}`, external: true };
      });
    },
  };
  const outfile = join(outdir, outName);
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform,
    conditions,
    target: 'es2022',
    absWorkingDir: scratch,
    plugins: [wasmExternal],
    logLevel: 'warning',
    metafile: true,
  });
  // Which of the package's entry files the conditions picked (the one that imports api.js),
  // and whether its own code (the wasm init) survived tree-shaking.
  const inputs = result.metafile.inputs;
  const entryFile = Object.keys(inputs).find((file) => /node_modules\/payhook\//.test(file) && inputs[file].imports.some((i) => /api\.js$/.test(i.path)));
  const kept = Object.values(result.metafile.outputs).reduce((n, o) => n + (o.inputs[entryFile]?.bytesInOutput ?? 0), 0);
  console.log(`# bundled ${relative(scratch, outfile)}: payhook entry ${entryFile} (${kept} bytes kept)${wasm.length ? `, wasm modules ${wasm.map((w) => basename(w)).join(', ')}` : ''}`);
  if (entryFile && kept === 0) {
    console.log(`# WARNING: the bundle dropped all of ${entryFile}, so the wasm is never initialised: the package.json "sideEffects" field must list the entry files`);
  }
  return { outfile, wasm, entryFile };
}

/** Prints a result object's lines (TAP lines, per-suite counts, the final line) and sets the exit code. */
export function report(result) {
  for (const line of result.lines) console.log(line);
  process.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
}
