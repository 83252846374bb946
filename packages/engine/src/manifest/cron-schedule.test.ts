import { describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { cronProblem, nextCronTime, parseCron } from './cron-schedule.ts';

describe('cronProblem', () => {
  it.each([
    '* * * * *',
    '30 2 * * *',
    '*/15 0-6,22-23 1,15 jan-jun mon-fri',
    '0 0 31 12 7',
    '5-55/10 * * DEC sun',
  ])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  it.each([
    ['', 'cron schedule needs 5 fields (minute hour day-of-month month day-of-week), got 0'],
    ['* * * *', 'cron schedule needs 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['60 * * * *', 'cron minute field "60": "60" is not a number from 0 to 59'],
    ['* 24 * * *', 'cron hour field "24": "24" is not a number from 0 to 23'],
    ['* * 0 * *', 'cron day of month field "0": "0" is not a number from 1 to 31'],
    ['* * * 13 *', 'cron month field "13": "13" is not a number or a name from 1 to 12'],
    ['* * * * 8', 'cron day of week field "8": "8" is not a number or a name from 0 to 7'],
    ['*/0 * * * *', 'cron minute field "*/0": step must be at least 1'],
    ['10-5 * * * *', 'cron minute field "10-5": range "10-5" runs backwards'],
    ['1/2/3 * * * *', 'cron minute field "1/2/3": more than one "/"'],
    ['@daily * * * *', 'cron minute field "@daily": "@daily" is not a number from 0 to 59'],
  ])('rejects "%s"', (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });
});

describe('parseCron', () => {
  it('expands steps, ranges, lists and names, folding Sunday 7 into 0', () => {
    const fields = parseCron('*/20 0-2,23 1,15 jan-mar sun,6-7');
    expect(fields.minutes).toEqual([0, 20, 40]);
    expect(fields.hours).toEqual([0, 1, 2, 23]);
    expect(fields.daysOfMonth).toEqual([1, 15]);
    expect(fields.months).toEqual([1, 2, 3]);
    expect(fields.daysOfWeek).toEqual([0, 6]);
    expect(fields.dayOfMonthRestricted).toBe(true);
    expect(fields.dayOfWeekRestricted).toBe(true);
  });

  it('runs a stepped single value to the end of the field', () => {
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
  });

  it('treats a leading * as unrestricted for the day rule', () => {
    const fields = parseCron('0 0 */10 * mon');
    expect(fields.daysOfMonth).toEqual([1, 11, 21, 31]);
    expect(fields.dayOfMonthRestricted).toBe(false);
    expect(fields.dayOfWeekRestricted).toBe(true);
  });

  it('throws the cronProblem text for an invalid expression', () => {
    expect(() => parseCron('* 24 * * *')).toThrow(OrbitError);
    expect(() => parseCron('* 24 * * *')).toThrow('cron hour field "24": "24" is not a number from 0 to 23');
  });
});

describe('nextCronTime', () => {
  it.each([
    ['every minute is strictly after', '* * * * *', '2026-03-04T10:15:00Z', '2026-03-04T10:16:00Z'],
    ['seconds round up to the next minute', '* * * * *', '2026-03-04T10:15:59.999Z', '2026-03-04T10:16:00Z'],
    ['*/15 within the hour', '*/15 * * * *', '2026-03-04T10:15:00Z', '2026-03-04T10:30:00Z'],
    ['*/15 across the hour', '*/15 * * * *', '2026-03-04T10:50:00Z', '2026-03-04T11:00:00Z'],
    ['weekdays at 02:00 from a Friday', '0 2 * * 1-5', '2026-03-06T02:00:00Z', '2026-03-09T02:00:00Z'],
    ['weekdays at 02:00 same day', '0 2 * * 1-5', '2026-03-04T01:59:00Z', '2026-03-04T02:00:00Z'],
    ['month rollover', '30 23 1 * *', '2026-01-31T12:00:00Z', '2026-02-01T23:30:00Z'],
    ['year rollover', '0 0 1 1 *', '2026-12-31T23:59:00Z', '2027-01-01T00:00:00Z'],
    ['31st skips short months', '0 12 31 * *', '2026-03-31T12:00:00Z', '2026-05-31T12:00:00Z'],
    ['leap day waits for a leap year', '0 0 29 feb *', '2025-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['DOM or DOW when both are restricted', '0 9 13 * fri', '2026-03-01T00:00:00Z', '2026-03-06T09:00:00Z'],
    ['DOM or DOW picks the month day first', '0 9 2 * fri', '2026-03-01T00:00:00Z', '2026-03-02T09:00:00Z'],
    ['starred DOM means DOW alone', '0 9 * * sun', '2026-03-01T09:00:00Z', '2026-03-08T09:00:00Z'],
    ['stepped DOM with DOW needs both', '0 0 */10 * mon', '2026-01-01T00:00:00Z', '2026-05-11T00:00:00Z'],
    ['Sunday as 7', '0 0 * * 7', '2026-03-02T00:00:00Z', '2026-03-08T00:00:00Z'],
    ['month names', '15 3 * jun,dec *', '2026-07-01T00:00:00Z', '2026-12-01T03:15:00Z'],
    ['later hour on the same day', '45 8,17 * * *', '2026-03-04T08:45:00Z', '2026-03-04T17:45:00Z'],
  ])('%s: "%s" after %s', (_label, expression, after, expected) => {
    expect(nextCronTime(expression, new Date(after), 'UTC').toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });

  it('throws a clear error for a day that never exists', () => {
    expect(() => nextCronTime('0 0 30 2 *', new Date('2026-01-01T00:00:00Z'), 'UTC')).toThrow(
      'cron schedule "0 0 30 2 *" never matches a real date (UTC)',
    );
  });

  it('rejects an invalid expression with the cronProblem text', () => {
    expect(() => nextCronTime('61 * * * *', new Date('2026-01-01T00:00:00Z'), 'UTC')).toThrow(
      'cron minute field "61"',
    );
  });
});
