import { describe, expect, it } from 'vitest';
import { describeCron } from './cron-description.ts';

describe('describeCron', () => {
  it.each([
    ['* * * * *', 'Every minute'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['30 2 * * *', 'At 02:30 every day'],
    ['0 22 * * 1-5', 'At 22:00 on Monday through Friday'],
    ['0 0 1 * *', 'At 00:00 on day 1 of the month'],
    ['5 4 * * 0,6', 'At 04:05 on Sunday and Saturday'],
    ['0 3 * 1,7 *', 'At 03:00 in January and July'],
    ['0 */6 * * *', 'At minute 0, every 6 hours'],
    ['15 9-17 * * *', 'At minute 15 past hour 9 through 17'],
    ['0 12 1 * 1', 'At 12:00 on day 1 of the month or Monday'],
  ])('describes %s', (expression, text) => {
    expect(describeCron(expression)).toEqual({ ok: true, text });
  });

  it.each([
    ['', 'expected 5 fields (minute hour day-of-month month day-of-week), found 0'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 4'],
    ['60 * * * *', 'minute: 60 is outside 0–59'],
    ['0 24 * * *', 'hour: 24 is outside 0–23'],
    ['0 0 0 * *', 'day of month: 0 is outside 1–31'],
    ['0 0 * 13 *', 'month: 13 is outside 1–12'],
    ['0 0 * * 8', 'day of week: 8 is outside 0–7'],
    ['0 0 * * mon', 'day of week: "mon" is not a number'],
    ['0 5-2 * * *', 'hour: range 5-2 runs backwards'],
    ['*/0 * * * *', 'minute: step 0 is outside 1–59'],
  ])('rejects %j', (expression, error) => {
    expect(describeCron(expression)).toEqual({ ok: false, error });
  });
});
