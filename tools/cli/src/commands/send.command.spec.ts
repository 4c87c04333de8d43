import { validateProducerEvent } from '@vigil/contracts';
import { buildEvent, parseLabels, SendOptions } from './send.command';

const options: SendOptions = {
  source: 'demo',
  node: 'web-1',
  type: 'DiskFull',
  severity: 'major',
  label: [],
  validate: true,
};

describe('vigil send', () => {
  it('builds a valid producer event from the README example', () => {
    const event = buildEvent(options);
    expect(event).toEqual({
      source: 'demo',
      node: 'web-1',
      type: 'DiskFull',
      severity: 'major',
      summary: 'DiskFull on web-1',
    });
    expect(validateProducerEvent(event).ok).toBe(true);
  });

  it('sends numeric severities as numbers and passes optional fields through', () => {
    expect(buildEvent({ ...options, severity: '4', id: 'e1', label: ['env=prod', 'k=a=b'] })).toMatchObject({
      severity: 4,
      id: 'e1',
      labels: { env: 'prod', k: 'a=b' },
    });
  });

  it('refuses a label without a key', () => {
    expect(() => parseLabels(['=x'])).toThrow(/key=value/);
    expect(() => parseLabels(['novalue'])).toThrow(/key=value/);
  });
});
