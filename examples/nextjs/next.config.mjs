/** @type {import('next').NextConfig} */
export default {
  // payhook loads its .wasm beside its own files: let Node require it from node_modules
  // rather than have the bundler copy its modules (and lose the .wasm).
  serverExternalPackages: ['payhook'],
};
