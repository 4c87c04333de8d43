import { origin } from './profile';

describe('origin of a profiled frame', () => {
  it.each([
    [
      { functionName: 'x', url: 'file:///app/node_modules/@nats-io/nats-core/lib/protocol.js' },
      '@nats-io/nats-core',
    ],
    [{ functionName: 'x', url: 'file:///app/node_modules/class-validator/cjs/index.js' }, 'class-validator'],
    [{ functionName: 'x', url: 'file:///app/dist/libs/messaging/src/publisher.js' }, '@vigil/messaging'],
    [{ functionName: 'x', url: 'file:///app/dist/services/ingest/src/main.js' }, 'ingest (service code)'],
    [{ functionName: 'readFile', url: 'node:fs' }, 'node core'],
    [{ functionName: '(garbage collector)', url: '' }, 'GC'],
    [{ functionName: '(idle)', url: '' }, 'idle'],
  ])('%p is %s', (frame, expected) => {
    expect(origin(frame)).toBe(expected);
  });
});
