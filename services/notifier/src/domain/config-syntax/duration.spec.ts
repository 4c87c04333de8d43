import { formatDuration, parseDuration, readDuration } from './duration';
import { FieldError } from '@vigil/matching';

describe('parseDuration', () => {
  it.each([
    ['0s', 0],
    ['0', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['4h', 14_400_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['1h0m5s250ms', 3_605_250],
    [' 90s ', 90_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text, 'delay')).toBe(ms);
  });

  it.each([
    [30, '30 has no unit: use a string like "30s", "5m" or "1h30m"'],
    ['', 'is empty: use a duration like "30s", "5m" or "1h30m"'],
    ['-5m', '"-5m" is negative'],
    [
      '5x',
      '"5x" is not a duration: whole numbers with units ms, s, m, h, d, w or y, largest first ("1h30m", "90s")',
    ],
    [
      '30m1h',
      '"30m1h" is not a duration: whole numbers with units ms, s, m, h, d, w or y, largest first ("1h30m", "90s")',
    ],
    [
      '1.5h',
      '"1.5h" is not a duration: whole numbers with units ms, s, m, h, d, w or y, largest first ("1h30m", "90s")',
    ],
    ['5', '"5" has no unit: use a string like "30s", "5m" or "1h30m"'],
    [null, 'null is not a duration: use a string like "30s", "5m" or "1h30m"'],
    ['99999999999999999y', '"99999999999999999y" is too long'],
  ])('refuses %j', (text, reason) => {
    expect(parseDuration(text, 'levels[0].delay')).toEqual({ field: 'levels[0].delay', reason });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [5_400_000, '1h30m'],
    [691_200_000, '1w1d'],
    [90_000, '1m30s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('readDuration', () => {
  it('reports a value out of bounds with the bounds', () => {
    const errors: FieldError[] = [];
    expect(readDuration('500ms', 'delay', errors, { min: 1000, max: 604_800_000 })).toBeUndefined();
    expect(readDuration('8d', 'delay', errors, { min: 1000, max: 604_800_000 })).toBeUndefined();
    expect(readDuration('7d', 'delay', errors, { min: 1000, max: 604_800_000 })).toBe(604_800_000);
    expect(errors).toEqual([
      { field: 'delay', reason: '"500ms" is out of range: must be from 1s to 1w' },
      { field: 'delay', reason: '"8d" is out of range: must be from 1s to 1w' },
    ]);
  });
});
