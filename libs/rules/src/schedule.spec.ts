import { compileSchedule } from './schedule';
import { classifyYaml, contextAt } from './spec-support';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
const EVERY_DAY = [...WEEKDAYS, 'Saturday', 'Sunday'] as const;

describe('schedules', () => {
  // PC:packages/oa-event-rules/src/schedule.coffee `is_in`: `start < minute <= end`.
  it('holds after the start minute up to and including the end minute', () => {
    const office = compileSchedule({ name: 'office', start: '09:00', end: '17:00', days: [...WEEKDAYS] });
    // 2026-03-02 is a Monday.
    expect(office.isIn(new Date('2026-03-02T09:00:00Z'))).toBe(false);
    expect(office.isIn(new Date('2026-03-02T09:01:00Z'))).toBe(true);
    expect(office.isIn(new Date('2026-03-02T17:00:59Z'))).toBe(true);
    expect(office.isIn(new Date('2026-03-02T17:01:00Z'))).toBe(false);
    expect(office.isIn(new Date('2026-03-07T12:00:00Z'))).toBe(false); // Saturday
  });

  it('wraps over midnight within the same listed day, as Panther does', () => {
    const night = compileSchedule({ name: 'night', start: '22:00', end: '06:00', days: ['Friday'] });
    expect(night.isIn(new Date('2026-03-06T23:30:00Z'))).toBe(true); // Friday late
    expect(night.isIn(new Date('2026-03-06T05:30:00Z'))).toBe(true); // Friday early
    expect(night.isIn(new Date('2026-03-07T01:00:00Z'))).toBe(false); // Saturday early
    expect(night.isIn(new Date('2026-03-06T12:00:00Z'))).toBe(false);
    expect(night.isIn(new Date('2026-03-06T00:00:00Z'))).toBe(false); // midnight itself is outside
  });

  it('follows a non-UTC zone across its DST change', () => {
    // Europe/London moves from GMT to BST at 2026-03-29T01:00Z.
    const office = compileSchedule({
      name: 'o',
      start: '09:00',
      end: '17:00',
      days: [...WEEKDAYS],
      timezone: 'Europe/London',
    });
    expect(office.isIn(new Date('2026-03-27T08:30:00Z'))).toBe(false); // Friday 08:30 GMT
    expect(office.isIn(new Date('2026-03-30T08:30:00Z'))).toBe(true); // Monday 09:30 BST
    expect(office.isIn(new Date('2026-03-27T16:30:00Z'))).toBe(true); // Friday 16:30 GMT
    expect(office.isIn(new Date('2026-03-30T16:30:00Z'))).toBe(false); // Monday 17:30 BST

    const night = compileSchedule({
      name: 'n',
      start: '22:00',
      end: '06:00',
      days: [...EVERY_DAY],
      timezone: 'Europe/London',
    });
    expect(night.isIn(new Date('2026-03-29T00:30:00Z'))).toBe(true); // 00:30 GMT
    expect(night.isIn(new Date('2026-03-29T01:30:00Z'))).toBe(true); // 02:30 BST
    expect(night.isIn(new Date('2026-03-29T05:30:00Z'))).toBe(false); // 06:30 BST
  });

  it('selects events by the context’s time', () => {
    const text = `
schedules:
  - { name: Out of hours, start: "18:00", end: "08:00", days: [Monday], timezone: America/New_York }
globals:
  rules:
    - { name: night, schedule: { name: Out of hours }, impact: low }
`;
    // Monday 2026-03-02 19:00 in New York is 00:00Z on Tuesday.
    expect(classifyYaml(text, {}, contextAt('2026-03-03T00:00:00Z')).event.impact).toBe('low');
    expect(classifyYaml(text, {}, contextAt('2026-03-02T17:00:00Z')).event.impact).toBe('medium');
  });
});
