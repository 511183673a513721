// payhook/tools in Node and Bun, ES modules: its CommonJS entry (tools.cjs), as node.js does.
export * from './tools.cjs';
