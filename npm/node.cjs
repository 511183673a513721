'use strict';
// Node, CommonJS: the ES module entry itself (require() of an ES module, Node 20.19+ and
// 22.12+), so `require('payhook')` and `import 'payhook'` share one instance: one wasm
// module, one PayhookError class, one set of constants.
module.exports = require('./node.js');
