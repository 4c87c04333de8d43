import { SubjectSpace, Subjects, subjectToken } from './subjects';

describe('SubjectSpace', () => {
  it('leaves names alone without a prefix', () => {
    const space = new SubjectSpace();
    expect(space.subject(Subjects.EventsRaw, 'web')).toBe('events.raw.web');
    expect(space.wildcard(Subjects.EventsAccepted)).toBe('events.accepted.>');
    expect(space.stream('EVENTS_RAW')).toBe('EVENTS_RAW');
    expect(space.exact('rpc.ingest.submit')).toBe('rpc.ingest.submit');
  });

  it('puts every subject and stream under the prefix', () => {
    const space = new SubjectSpace('t1-run');
    expect(space.subject(Subjects.AlertsChanged, 'abc')).toBe('t1-run.alerts.changed.abc');
    expect(space.wildcard(Subjects.EventsRaw)).toBe('t1-run.events.raw.>');
    expect(space.stream('EVENTS_RAW')).toBe('T1_RUN_EVENTS_RAW');
    expect(space.exact('rpc.ingest.submit')).toBe('t1-run.rpc.ingest.submit');
  });

  it('reads the token back from a concrete subject', () => {
    const space = new SubjectSpace('p');
    expect(space.tokenOf(Subjects.EventsRaw, 'p.events.raw.billing-api')).toBe('billing-api');
    expect(space.tokenOf(Subjects.EventsRaw, 'p.events.accepted.x')).toBeUndefined();
    expect(space.tokenOf(Subjects.EventsRaw, 'events.raw.x')).toBeUndefined();
  });

  it('refuses a prefix that would break subjects', () => {
    expect(() => new SubjectSpace('a.b')).toThrow(/prefix "a.b"/);
    expect(() => new SubjectSpace('a b')).toThrow();
    expect(() => new SubjectSpace('*')).toThrow();
  });
});

describe('subjectToken', () => {
  it('keeps safe tokens and replaces what would split or widen a subject', () => {
    expect(subjectToken('web-1_a')).toBe('web-1_a');
    expect(subjectToken('a.b c*>')).toBe('a_b_c__');
    expect(subjectToken('')).toBe('_');
  });
});
