// Node and Bun, ES modules: the CommonJS entry (node.cjs, one bundle), so `import` and
// `require` share one instance of the package: one wasm module, one PayhookError class.
export * from './node.cjs';
