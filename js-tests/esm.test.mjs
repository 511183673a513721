// The suite through `import 'payhook'` (the package's ESM entry for Node).
import * as payhook from 'payhook';
import suite from './suite.cjs';

suite.define(payhook, '[esm]');
