'use strict';
// payhook/tools in Node, CommonJS: the ES module entry itself, as node.cjs does.
module.exports = require('./tools-node.js');
