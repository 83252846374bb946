/**
 * Classic 5-field cron expressions (minute hour day-of-month month day-of-week): the shape check,
 * the parse to value sets, and the next matching minute. Pure; the Nucleus owns the clock.
 */
import { OrbitError } from '../errors.ts';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  // 7 is Sunday as well as 0, as in Vixie cron.
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Returns what is wrong with `expression`, or undefined when it is a valid 5-field cron string. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length || parts[0] === '') {
    return `cron schedule needs 5 fields (minute hour day-of-month month day-of-week), got ${parts[0] === '' ? 0 : parts.length}`;
  }
  for (const [index, field] of FIELDS.entries()) {
    const problem = fieldProblem(parts[index] ?? '', field);
    if (problem) return `cron ${field.name} field "${parts[index]}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const [range = '', step, ...extra] = item.split('/');
    if (extra.length > 0) return 'more than one "/"';
    if (step !== undefined && !/^\d+$/.test(step)) return `step "${step}" must be a whole number`;
    if (step !== undefined && Number(step) === 0) return 'step must be at least 1';
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = fieldValue(bound, field);
      if (value === undefined) {
        return `"${bound}" is not a number${field.names ? ' or a name' : ''} from ${field.min} to ${field.max}`;
      }
      values.push(value);
    }
    const [from = 0, to = from] = values;
    if (from > to) return `range "${range}" runs backwards`;
  }
  return undefined;
}

function fieldValue(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return field.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}

/** A parsed expression: the allowed values of each field, ascending. Sunday is 0 (7 folds into it). */
export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  /**
   * Whether day of month / day of week were written without a leading `*`. When both are, a day
   * matches if either does (Vixie cron's OR rule); otherwise both must.
   */
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

/** Parses a valid expression to its value sets; an invalid one throws the `cronProblem` text. */
export function parseCron(expression: string): CronFields {
  const problem = cronProblem(expression);
  if (problem) {
    throw new OrbitError('INVALID_ARGUMENT', problem, {
      hint: 'write 5 fields such as "0 2 * * 1-5" (02:00 on weekdays)',
    });
  }
  const parts = expression.trim().split(/\s+/);
  const sets = FIELDS.map((field, index) => fieldValues(parts[index] ?? '*', field));
  const [minutes = [], hours = [], daysOfMonth = [], months = [], rawDaysOfWeek = []] = sets;
  const daysOfWeek = [...new Set(rawDaysOfWeek.map((day) => day % 7))].sort((a, b) => a - b);
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOfMonthRestricted: !(parts[2] ?? '*').startsWith('*'),
    dayOfWeekRestricted: !(parts[4] ?? '*').startsWith('*'),
  };
}

function fieldValues(text: string, field: CronField): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', step = '1'] = item.split('/');
    const [fromText = '', toText] = range.split('-');
    const from = range === '*' ? field.min : (fieldValue(fromText, field) ?? field.min);
    // "5/10" means 5, 15, 25…: a stepped single value runs to the field's end, as in Vixie cron.
    const to =
      range === '*' || (toText === undefined && item.includes('/'))
        ? field.max
        : toText === undefined
          ? from
          : (fieldValue(toText, field) ?? from);
    for (let value = from; value <= to; value += Number(step)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** Whether `date` (read in UTC) falls on a day the expression allows. */
function dayMatches(fields: CronFields, date: Date): boolean {
  if (!fields.months.includes(date.getUTCMonth() + 1)) return false;
  const byMonthDay = fields.daysOfMonth.includes(date.getUTCDate());
  const byWeekDay = fields.daysOfWeek.includes(date.getUTCDay());
  if (fields.dayOfMonthRestricted && fields.dayOfWeekRestricted) return byMonthDay || byWeekDay;
  return byMonthDay && byWeekDay;
}

/** Every month/weekday combination repeats within 28 years, leap days included (outside century skips). */
const SEARCH_YEARS = 28;
const MINUTE_MS = 60_000;

/**
 * The first whole minute strictly after `after` that `expression` matches, in UTC. Expressions
 * that can never match (such as 30 February) throw instead of searching forever.
 */
export function nextCronTime(expression: string, after: Date, timeZone: 'UTC'): Date {
  const fields = parseCron(expression);
  if (Number.isNaN(after.getTime())) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `cannot find the next time of "${expression}" after an invalid date`,
    );
  }
  const start = new Date(Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  const limitYear = start.getUTCFullYear() + SEARCH_YEARS + 1;
  let day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  let first = true;
  while (day.getUTCFullYear() < limitYear) {
    if (dayMatches(fields, day)) {
      const time = firstTimeOfDay(fields, first ? start : undefined);
      if (time) return new Date(day.getTime() + (time.hour * 60 + time.minute) * MINUTE_MS);
    }
    first = false;
    day = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1));
  }
  throw new OrbitError(
    'INVALID_ARGUMENT',
    `cron schedule "${expression}" never matches a real date (${timeZone})`,
    {
      hint: 'check the day of month against the month, e.g. 30 or 31 in February never happens',
    },
  );
}

/** The earliest allowed hour:minute of a day, at or after `from`'s time of day when given. */
function firstTimeOfDay(
  fields: CronFields,
  from: Date | undefined,
): { hour: number; minute: number } | undefined {
  const fromHour = from?.getUTCHours() ?? 0;
  const fromMinute = from?.getUTCMinutes() ?? 0;
  for (const hour of fields.hours) {
    if (hour < fromHour) continue;
    const minute = fields.minutes.find((value) => hour > fromHour || value >= fromMinute);
    if (minute !== undefined) return { hour, minute };
  }
  return undefined;
}
