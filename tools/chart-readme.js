#!/usr/bin/env node
// Regenerates the "Parameters" section of helm/vigil/README.md from the `## @param` comments of
// helm/vigil/values.yaml (@bitnami/readme-generator-for-helm), formatted by Prettier like every other
// Markdown file here: `npm run chart:readme`. With `--check` it changes nothing and exits 1 when the
// README is not current; the chart's tests run that.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const prettier = require('prettier');
const { runReadmeGenerator } = require('@bitnami/readme-generator-for-helm');

const chart = path.join(__dirname, '..', 'helm', 'vigil');
const readme = path.join(chart, 'README.md');

async function generated() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-chart-readme-'));
  const copy = path.join(dir, 'README.md');
  fs.copyFileSync(readme, copy);
  // The generator reports its progress on console.log; only its errors (thrown) matter here.
  /* eslint-disable no-console */
  const log = console.log;
  console.log = () => {};
  try {
    runReadmeGenerator({ values: path.join(chart, 'values.yaml'), readme: copy });
  } finally {
    console.log = log;
  }
  /* eslint-enable no-console */
  const text = fs.readFileSync(copy, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  const options = (await prettier.resolveConfig(readme)) ?? {};
  return prettier.format(text, { ...options, filepath: readme });
}

async function main(check) {
  const next = await generated();
  const current = fs.readFileSync(readme, 'utf8');
  if (next === current) return 0;
  if (check) {
    process.stderr.write(
      'helm/vigil/README.md is not current with values.yaml: run `npm run chart:readme`\n',
    );
    return 1;
  }
  fs.writeFileSync(readme, next);
  process.stdout.write('helm/vigil/README.md: parameters table regenerated\n');
  return 0;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`chart-readme: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
