import { AlertState, applyOccurrence, Occurrence, openAlert } from './alert-lifecycle';

const t = (minute: number) => new Date(Date.UTC(2026, 4, 1, 12, minute));
const occurrence = (severity: Occurrence['severity'], minute: number, id = `e${minute}`): Occurrence => ({
  eventId: id,
  severity,
  summary: `${severity} at ${minute}`,
  occurredAt: t(minute),
});

describe('openAlert', () => {
  it('opens with a tally of one and the first announced change', () => {
    expect(openAlert(occurrence('major', 0))).toEqual({
      status: 'open',
      severity: 'major',
      previousSeverity: null,
      tally: 1,
      firstOccurrence: t(0),
      lastOccurrence: t(0),
      summary: 'major at 0',
      sequence: 1,
      resolvedAt: null,
      lastEventId: 'e0',
    });
  });

  it('refuses to open an alert from a clear', () => {
    expect(() => openAlert(occurrence('cleared', 0))).toThrow();
  });
});

describe('applyOccurrence', () => {
  const open = openAlert(occurrence('major', 0));

  it('counts a repeat without announcing it', () => {
    const { state, change } = applyOccurrence(open, occurrence('major', 5));
    expect(change).toBeUndefined();
    expect(state).toMatchObject({
      tally: 2,
      lastOccurrence: t(5),
      summary: 'major at 5',
      sequence: 1,
      status: 'open',
    });
    expect(state.firstOccurrence).toEqual(t(0));
  });

  it('announces a severity change and remembers the previous one', () => {
    const { state, change } = applyOccurrence(open, occurrence('critical', 5));
    expect(change).toBe('severity_changed');
    expect(state).toMatchObject({ severity: 'critical', previousSeverity: 'major', sequence: 2, tally: 2 });
  });

  it('resolves an active alert on a clear, without counting the clear', () => {
    for (const status of ['open', 'acknowledged'] as const) {
      const { state, change } = applyOccurrence({ ...open, status }, occurrence('cleared', 5));
      expect(change).toBe('resolved');
      expect(state).toMatchObject({ status: 'resolved', resolvedAt: t(5), tally: 1, sequence: 2 });
    }
  });

  it('ignores a clear for an alert that is not active', () => {
    const resolved: AlertState = { ...open, status: 'resolved', resolvedAt: t(5), sequence: 2 };
    const decision = applyOccurrence(resolved, occurrence('cleared', 6));
    expect(decision.change).toBeUndefined();
    expect(decision.state).toBe(resolved);
  });

  it('ignores a clear older than the latest problem occurrence', () => {
    const later = applyOccurrence(open, occurrence('major', 10)).state;
    const decision = applyOccurrence(later, occurrence('cleared', 5));
    expect(decision.change).toBeUndefined();
    expect(decision.state.status).toBe('open');
  });

  it('reopens a resolved alert when the problem returns, with the new severity', () => {
    const resolved = applyOccurrence(open, occurrence('cleared', 5)).state;
    const { state, change } = applyOccurrence(resolved, occurrence('minor', 8));
    expect(change).toBe('reopened');
    expect(state).toMatchObject({
      status: 'open',
      severity: 'minor',
      previousSeverity: 'major',
      resolvedAt: null,
      tally: 2,
      sequence: 3,
    });
  });

  it('reopens a closed alert too', () => {
    const closed: AlertState = { ...open, status: 'closed', resolvedAt: t(5), sequence: 2 };
    expect(applyOccurrence(closed, occurrence('major', 9)).change).toBe('reopened');
  });

  it('counts but does not reopen for a problem that happened before the clear', () => {
    const resolved = applyOccurrence(
      applyOccurrence(open, occurrence('major', 2)).state,
      occurrence('cleared', 5),
    ).state;
    const { state, change } = applyOccurrence(resolved, occurrence('major', 1));
    expect(change).toBeUndefined();
    expect(state).toMatchObject({ status: 'resolved', tally: 3, lastOccurrence: t(2) });
  });

  it('lets a late occurrence count without rewriting the latest summary or severity', () => {
    const current = applyOccurrence(open, occurrence('major', 10)).state;
    const { state, change } = applyOccurrence(current, occurrence('critical', 3));
    expect(change).toBeUndefined();
    expect(state).toMatchObject({
      tally: 3,
      severity: 'major',
      summary: 'major at 10',
      lastOccurrence: t(10),
    });
  });

  it('moves the sequence by exactly one per announced change', () => {
    let state = open;
    const severities: Occurrence['severity'][] = [
      'major',
      'critical',
      'critical',
      'cleared',
      'minor',
      'cleared',
    ];
    let announced = 1;
    severities.forEach((severity, i) => {
      const decision = applyOccurrence(state, occurrence(severity, i + 1));
      if (decision.change) announced++;
      state = decision.state;
    });
    expect(state.sequence).toBe(announced);
    expect(announced).toBe(5);
  });
});
