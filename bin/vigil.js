#!/usr/bin/env node
'use strict';
// The `vigil` command. The CLI is TypeScript compiled into dist/ by `npm run build`, which
// `npm install` runs (the `prepare` script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'tools', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('vigil: not built yet; run `npm run build` (npm install runs it too)\n');
  process.exit(1);
}
require(entry);
