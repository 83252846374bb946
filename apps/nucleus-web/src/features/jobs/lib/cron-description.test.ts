import { cronProblem } from '@orbit/engine/manifest/cron-schedule';
import { describe, expect, it } from 'vitest';
import { describeCron, nextFireTime } from './cron-description.ts';

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
    ['0 0 * * 7', 'At 00:00 on Sunday'],
    ['0 0 * * mon-FRI', 'At 00:00 on Monday through Friday'],
    ['0 6 * jan,dec *', 'At 06:00 in January and December'],
    ['0-30/10 * * * *', 'At minute every 10 from 0 through 30'],
    ['5/20 * * * *', 'At minute every 20 from 5 through 59'],
  ])('describes %s', (expression, text) => {
    expect(describeCron(expression)).toEqual({ ok: true, text });
  });

  it.each([
    '',
    '* * * *',
    '60 * * * *',
    '0 24 * * *',
    '0 0 0 * *',
    '0 0 * 13 *',
    '0 0 * * 8',
    '0 0 * * monday',
    '0 5-2 * * *',
    '*/0 * * * *',
  ])('rejects %j with the message the server gives', (expression) => {
    const problem = cronProblem(expression);
    expect(problem).toBeDefined();
    expect(describeCron(expression)).toEqual({ ok: false, error: problem });
  });

  it('names the field and the value that is wrong', () => {
    expect(describeCron('0 24 * * *')).toEqual({
      ok: false,
      error: 'cron hour field "24": "24" is not a number from 0 to 23',
    });
  });
});

describe('nextFireTime', () => {
  it('gives the next UTC minute the schedule matches', () => {
    expect(nextFireTime('0 2 * * 1-5', new Date('2026-03-06T03:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T02:00:00.000Z',
    );
  });

  it('is null for an invalid schedule or one that never comes', () => {
    expect(nextFireTime('0 24 * * *', new Date('2026-03-06T03:00:00Z'))).toBeNull();
    expect(nextFireTime('0 0 31 feb *', new Date('2026-03-06T03:00:00Z'))).toBeNull();
  });
});
