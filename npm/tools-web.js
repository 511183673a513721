// payhook/tools in browsers (and any runtime without a more specific condition).
import { start } from './tools-core.js';
import init from './payhook_tools.js';

await init({ module_or_path: new URL('./payhook_tools_bg.wasm', import.meta.url) });
start();

export * from './tools.js';
