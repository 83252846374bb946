import { cronProblem, nextCronTime } from '@orbit/engine/manifest/cron-schedule';

/**
 * Says a 5-field cron expression (minute hour day-of-month month day-of-week) in English, or says what
 * is wrong with it. Validity comes from the engine's `cronProblem`, the same check the server runs, so
 * the wizard accepts exactly what the server accepts. The engine's parsed fields are value sets, which
 * lose how a field was written (steps, ranges), so this module reads the fields again for wording only.
 */

export type CronDescription = { ok: true; text: string } | { ok: false; error: string };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
// 7 is Sunday as well as 0, as in the engine's check.
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface FieldWords {
  readonly max: number;
  /** Value → word; the engine also accepts each word's first three letters as the value. */
  readonly names?: readonly string[];
  readonly firstNamed?: number;
}

const MINUTE: FieldWords = { max: 59 };
const HOUR: FieldWords = { max: 23 };
const DAY: FieldWords = { max: 31 };
const MONTH: FieldWords = { max: 12, names: MONTHS, firstNamed: 1 };
const WEEKDAY: FieldWords = { max: 7, names: WEEKDAYS, firstNamed: 0 };

interface Item {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

type Part = { kind: 'any' } | { kind: 'step'; every: number } | { kind: 'list'; items: readonly Item[] };

function numberIn(text: string, field: FieldWords): number {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.findIndex((name) => name.slice(0, 3).toLowerCase() === text.toLowerCase()) ?? -1;
  return index + (field.firstNamed ?? 0);
}

/** Reads a field the engine has already accepted, so every piece is known to be well formed. */
function readField(text: string, field: FieldWords): Part {
  if (text === '*/1' || text.split(',').includes('*')) return { kind: 'any' };
  const every = /^\*\/(\d+)$/.exec(text)?.[1];
  if (every !== undefined) return { kind: 'step', every: Number(every) };
  const items = text.split(',').map((item): Item => {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (range === '*') return { from: -1, to: field.max, step };
    const [fromText = '', toText] = range.split('-');
    const from = numberIn(fromText, field);
    // "5/15" runs from 5 to the end of the field, as in Vixie cron.
    const to = toText !== undefined ? numberIn(toText, field) : stepText !== undefined ? field.max : from;
    return { from, to, step };
  });
  return { kind: 'list', items };
}

function word(value: number, field: FieldWords): string {
  const index = value - (field.firstNamed ?? 0);
  return field.names?.[index] ?? String(value);
}

function describeList(items: readonly Item[], field: FieldWords): string {
  const words = items.map((item) => {
    if (item.from === -1) return `every ${item.step}`;
    if (item.from === item.to) return word(item.from, field);
    const range = `${word(item.from, field)} through ${word(item.to, field)}`;
    return item.step === 1 ? range : `every ${item.step} from ${range}`;
  });
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function single(part: Part): number | undefined {
  if (part.kind !== 'list' || part.items.length !== 1) return undefined;
  const item = part.items[0];
  return item && item.from === item.to ? item.from : undefined;
}

function describeTime(minute: Part, hour: Part): string {
  const m = single(minute);
  const h = single(hour);
  if (m !== undefined && h !== undefined) return `At ${pad(h)}:${pad(m)}`;
  const minuteText =
    minute.kind === 'any'
      ? 'Every minute'
      : minute.kind === 'step'
        ? `Every ${minute.every} minutes`
        : `At minute ${describeList(minute.items, MINUTE)}`;
  if (hour.kind === 'any') return minuteText;
  if (hour.kind === 'step') return `${minuteText}, every ${hour.every} hours`;
  return `${minuteText} past hour ${describeList(hour.items, HOUR)}`;
}

export function describeCron(expression: string): CronDescription {
  const problem = cronProblem(expression);
  if (problem !== undefined) return { ok: false, error: problem };
  const fields = expression.trim().split(/\s+/);
  const read = (index: number, words: FieldWords): Part => readField(fields[index] ?? '*', words);
  const [minute, hour, day, month, weekday] = [
    read(0, MINUTE),
    read(1, HOUR),
    read(2, DAY),
    read(3, MONTH),
    read(4, WEEKDAY),
  ];
  const pieces = [describeTime(minute, hour)];
  if (day.kind === 'step') pieces.push(`every ${day.every} days`);
  if (day.kind === 'list') pieces.push(`on day ${describeList(day.items, DAY)} of the month`);
  if (weekday.kind === 'step') pieces.push(`every ${weekday.every} days of the week`);
  if (weekday.kind === 'list')
    pieces.push(`${day.kind === 'list' ? 'or' : 'on'} ${describeList(weekday.items, WEEKDAY)}`);
  if (month.kind === 'step') pieces.push(`every ${month.every} months`);
  if (month.kind === 'list') pieces.push(`in ${describeList(month.items, MONTH)}`);
  if (pieces.length === 1 && single(minute) !== undefined && single(hour) !== undefined)
    pieces.push('every day');
  return { ok: true, text: pieces.join(' ') };
}

/**
 * When the schedule next comes due after `now` (UTC, as the Nucleus' scheduler reads it), or null
 * for an invalid expression or one that never matches a real date.
 */
export function nextFireTime(expression: string, now: Date): Date | null {
  if (cronProblem(expression) !== undefined) return null;
  try {
    return nextCronTime(expression, now, 'UTC');
  } catch {
    return null;
  }
}
