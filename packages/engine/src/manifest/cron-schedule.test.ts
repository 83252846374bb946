import { describe, expect, it } from 'vitest';
import { cronProblem } from './cron-schedule.ts';

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
