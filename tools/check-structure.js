#!/usr/bin/env node
// Structure checks that ESLint's module boundaries do not make (part of `npm run lint`):
// - no import cycle between files anywhere (madge);
// - inside a service, no two feature folders that import each other, directly or round a loop: a
//   folder depends on the ones below it, and what a lower one needs from above is an interface it
//   owns, so each module shows its real dependencies;
// - no `global: true` module in a service except its root wiring (app.module.ts);
// - a service's `domain` folder (its pure logic) is the bottom layer: it imports nothing else of
//   its service, neither a feature folder nor the root wiring.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const madge = require('madge');

const root = path.resolve(__dirname, '..');
const sourceRoots = ['services', 'libs', 'tools', 'e2e', 'helm']
  .map((dir) => path.join(root, dir))
  .filter((dir) => fs.existsSync(dir));

/** `services/<name>/src/<folder>/…` → `<name>/<folder>`; files at a service's src root are wiring. */
function featureOf(file) {
  const match = /^services\/([^/]+)\/src\/([^/]+)\//.exec(file);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** `services/<name>/src/domain/…` → `<name>`: the service whose pure logic the file is. */
function domainOf(file) {
  const match = /^services\/([^/]+)\/src\/domain\//.exec(file);
  return match ? match[1] : undefined;
}

/** Strongly connected components of more than one node (Tarjan), each sorted: the loops. */
function loops(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (node) => {
    state.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!state.has(next)) {
        visit(next);
        state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
      } else if (state.get(next).onStack) {
        state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
      }
    }
    if (state.get(node).low === state.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        state.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

function globalModules() {
  const found = [];
  const services = path.join(root, 'services');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.module.ts') && entry.name !== 'app.module.ts') {
        if (/global:\s*true/.test(fs.readFileSync(full, 'utf8'))) found.push(path.relative(root, full));
      }
    }
  };
  for (const service of fs.readdirSync(services)) {
    const src = path.join(services, service, 'src');
    if (fs.existsSync(src)) walk(src);
  }
  return found;
}

async function main() {
  const result = await madge(sourceRoots, {
    baseDir: root,
    fileExtensions: ['ts'],
    tsConfig: path.join(root, 'tsconfig.json'),
    excludeRegExp: [/node_modules/, /\.d\.ts$/],
  });
  const problems = [];
  for (const cycle of result.circular()) problems.push(`import cycle: ${cycle.join(' -> ')} -> ${cycle[0]}`);

  const folders = new Map();
  for (const [file, imports] of Object.entries(result.obj())) {
    const from = featureOf(file);
    if (!from) continue;
    if (!folders.has(from)) folders.set(from, new Set());
    for (const imported of imports) {
      const to = featureOf(imported);
      if (to && to !== from && to.split('/')[0] === from.split('/')[0]) folders.get(from).add(to);
    }
  }
  for (const loop of loops(folders)) {
    const edges = loop.flatMap((from) =>
      [...folders.get(from)].filter((to) => loop.includes(to)).map((to) => `${from} -> ${to}`),
    );
    problems.push(`feature folders that depend on each other: ${edges.join(', ')}`);
  }
  for (const [file, imports] of Object.entries(result.obj())) {
    const service = domainOf(file);
    if (!service) continue;
    for (const imported of imports) {
      if (imported.startsWith(`services/${service}/src/`) && domainOf(imported) !== service)
        problems.push(`domain folder imports its service (it is the bottom layer): ${file} -> ${imported}`);
    }
  }
  for (const file of globalModules())
    problems.push(`global feature module (import what you use instead): ${file}`);

  if (problems.length) {
    process.stderr.write(
      `check-structure: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `check-structure: ${Object.keys(result.obj()).length} files, no import cycle, feature folders one-way, domain folders at the bottom, no global feature module\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`check-structure: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
