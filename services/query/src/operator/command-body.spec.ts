import { AssignAlertV1, SnoozeAlertV1, flattenValidationErrors } from '@vigil/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { commandBody } from './command-body';

class SnoozeBody extends commandBody(SnoozeAlertV1, 'alertId') {}
class AssignBody extends commandBody(AssignAlertV1, 'alertId') {}

/** As the HTTP validation pipe checks bodies (libs/runtime httpValidationPipe). */
function problems(cls: new () => object, body: object): Record<string, string> {
  const errors = validateSync(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true });
  return Object.fromEntries(flattenValidationErrors(errors).map((e) => [e.field, e.reason]));
}

describe('commandBody', () => {
  it('keeps the contract rules, without the target id and with commandId optional', () => {
    expect(problems(SnoozeBody, { actor: 'alice', durationSeconds: 60 })).toEqual({});
    expect(problems(SnoozeBody, { actor: 'alice', durationSeconds: 60, commandId: 'c-1' })).toEqual({});
    expect(problems(AssignBody, { actor: 'alice', assignee: null })).toEqual({});
  });

  it('names each bad field as the contract does', () => {
    const found = problems(SnoozeBody, { actor: 'system', commandId: 'has spaces' });
    expect(Object.keys(found).sort()).toEqual(['actor', 'commandId', 'until']);
    expect(found.until).toContain('exactly one of until and durationSeconds is required');
    expect(Object.keys(problems(AssignBody, { actor: 'alice' }))).toEqual(['assignee']);
  });

  it('refuses the target id in the body: it is the path', () => {
    expect(Object.keys(problems(SnoozeBody, { actor: 'alice', durationSeconds: 5, alertId: 'x' }))).toEqual([
      'alertId',
    ]);
  });
});
