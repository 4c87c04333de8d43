import { traceparentFor } from './trace';

describe('traceparentFor', () => {
  it('keeps a well-formed incoming traceparent', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceparentFor(incoming)).toBe(incoming);
  });

  it('starts a new trace when there is none or it is malformed', () => {
    expect(traceparentFor(undefined)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceparentFor('garbage')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceparentFor(undefined)).not.toBe(traceparentFor(undefined));
  });
});
