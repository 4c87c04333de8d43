import { validatePlain } from '../validation';
import {
  AcknowledgeAlertV1,
  AddAlertNoteV1,
  AssignAlertV1,
  ChangeAlertSeverityV1,
  SnoozeAlertV1,
} from './alert-commands.v1';

const base = { alertId: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11', actor: 'alice', commandId: 'cmd-1' };
const fields = (result: ReturnType<typeof validatePlain>) =>
  result.ok ? [] : result.errors.map((e) => e.field);

describe('operator command contracts', () => {
  it('accept a well-formed command, with an optional reason', () => {
    expect(validatePlain(AcknowledgeAlertV1, base).ok).toBe(true);
    expect(validatePlain(AcknowledgeAlertV1, { ...base, reason: 'on it' }).ok).toBe(true);
  });

  it('name each bad field', () => {
    expect(fields(validatePlain(AcknowledgeAlertV1, { ...base, alertId: 'x' }))).toEqual(['alertId']);
    expect(fields(validatePlain(AcknowledgeAlertV1, { ...base, actor: '' }))).toEqual(['actor']);
    expect(fields(validatePlain(AcknowledgeAlertV1, { ...base, actor: 'system' }))).toEqual(['actor']);
    expect(fields(validatePlain(AcknowledgeAlertV1, { ...base, commandId: 'has space' }))).toEqual([
      'commandId',
    ]);
    expect(fields(validatePlain(AcknowledgeAlertV1, { ...base, reason: '' }))).toEqual(['reason']);
    expect(fields(validatePlain(AcknowledgeAlertV1, { ...base, extra: 1 }))).toEqual(['extra']);
    expect(fields(validatePlain(AcknowledgeAlertV1, { actor: 'a' })).sort()).toEqual([
      'alertId',
      'commandId',
    ]);
  });

  it('assign needs an assignee, or null to unassign', () => {
    expect(validatePlain(AssignAlertV1, { ...base, assignee: 'bob' }).ok).toBe(true);
    expect(validatePlain(AssignAlertV1, { ...base, assignee: null }).ok).toBe(true);
    expect(fields(validatePlain(AssignAlertV1, base))).toEqual(['assignee']);
    expect(fields(validatePlain(AssignAlertV1, { ...base, assignee: '' }))).toEqual(['assignee']);
  });

  it('snooze takes exactly one of until (RFC 3339) and durationSeconds', () => {
    expect(validatePlain(SnoozeAlertV1, { ...base, until: '2030-01-01T00:00:00Z' }).ok).toBe(true);
    expect(validatePlain(SnoozeAlertV1, { ...base, durationSeconds: 600 }).ok).toBe(true);
    expect(validatePlain(SnoozeAlertV1, base)).toMatchObject({
      ok: false,
      errors: [{ field: 'until', reason: 'exactly one of until and durationSeconds is required' }],
    });
    expect(
      fields(validatePlain(SnoozeAlertV1, { ...base, until: '2030-01-01T00:00:00Z', durationSeconds: 5 })),
    ).toEqual(['until']);
    expect(fields(validatePlain(SnoozeAlertV1, { ...base, until: 'tomorrow' }))).toEqual(['until']);
    expect(fields(validatePlain(SnoozeAlertV1, { ...base, durationSeconds: 0 }))).toEqual([
      'durationSeconds',
    ]);
    expect(fields(validatePlain(SnoozeAlertV1, { ...base, durationSeconds: 1.5 }))).toEqual([
      'durationSeconds',
    ]);
  });

  it('severity changes take a problem severity; notes take text', () => {
    expect(validatePlain(ChangeAlertSeverityV1, { ...base, severity: 'minor' }).ok).toBe(true);
    expect(fields(validatePlain(ChangeAlertSeverityV1, { ...base, severity: 'cleared' }))).toEqual([
      'severity',
    ]);
    expect(validatePlain(AddAlertNoteV1, { ...base, text: 'looked' }).ok).toBe(true);
    expect(fields(validatePlain(AddAlertNoteV1, base))).toEqual(['text']);
  });
});
