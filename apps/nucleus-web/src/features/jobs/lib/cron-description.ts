/**
 * Reads a 5-field cron expression (minute hour day-of-month month day-of-week) and says it in English,
 * or says which field is wrong. The server validates again; this is for instant feedback in the wizard.
 */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: [
      '',
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
    ],
  },
  {
    name: 'day of week',
    min: 0,
    max: 7,
    names: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  },
];

export type CronDescription = { ok: true; text: string } | { ok: false; error: string };

type Part =
  | { kind: 'any' }
  | { kind: 'step'; every: number; from: number }
  | { kind: 'list'; items: readonly { from: number; to: number; step: number }[] };

function parseNumber(text: string, spec: FieldSpec): number {
  if (!/^\d+$/.test(text)) throw new Error(`${spec.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new Error(`${spec.name}: ${value} is outside ${spec.min}–${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Part {
  if (text === '*') return { kind: 'any' };
  const everyMatch = /^\*\/(\d+)$/.exec(text);
  if (everyMatch?.[1] !== undefined) {
    const every = Number(everyMatch[1]);
    if (every < 1 || every > spec.max)
      throw new Error(`${spec.name}: step ${every} is outside 1–${spec.max}`);
    return { kind: 'step', every, from: spec.min };
  }
  const items = text.split(',').map((item) => {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : parseNumber(stepText, { ...spec, min: 1 });
    const [fromText = '', toText] = range.split('-');
    const from = parseNumber(fromText, spec);
    const to = toText === undefined ? from : parseNumber(toText, spec);
    if (to < from) throw new Error(`${spec.name}: range ${from}-${to} runs backwards`);
    return { from, to, step };
  });
  return { kind: 'list', items };
}

function nameOf(value: number, spec: FieldSpec): string {
  return spec.names?.[value] ?? String(value);
}

function describeList(part: Extract<Part, { kind: 'list' }>, spec: FieldSpec): string {
  const words = part.items.map((item) => {
    if (item.from === item.to) return nameOf(item.from, spec);
    const range = `${nameOf(item.from, spec)} through ${nameOf(item.to, spec)}`;
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
  const [minuteSpec, hourSpec] = FIELDS as [FieldSpec, FieldSpec];
  const minuteText =
    minute.kind === 'any'
      ? 'Every minute'
      : minute.kind === 'step'
        ? `Every ${minute.every} minutes`
        : `At minute ${describeList(minute, minuteSpec)}`;
  if (hour.kind === 'any') return minuteText;
  if (hour.kind === 'step') return `${minuteText}, every ${hour.every} hours`;
  return `${minuteText} past hour ${describeList(hour, hourSpec)}`;
}

export function describeCron(expression: string): CronDescription {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') {
    return {
      ok: false,
      error: `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields[0] === '' ? 0 : fields.length}`,
    };
  }
  let parts: Part[];
  try {
    parts = fields.map((field, index) => parseField(field, FIELDS[index] as FieldSpec));
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const [minute, hour, day, month, weekday] = parts as [Part, Part, Part, Part, Part];
  const [, , daySpec, monthSpec, weekdaySpec] = FIELDS as [
    FieldSpec,
    FieldSpec,
    FieldSpec,
    FieldSpec,
    FieldSpec,
  ];
  const pieces = [describeTime(minute, hour)];
  if (day.kind === 'step') pieces.push(`every ${day.every} days`);
  if (day.kind === 'list') pieces.push(`on day ${describeList(day, daySpec)} of the month`);
  if (weekday.kind === 'step') pieces.push(`every ${weekday.every} days of the week`);
  if (weekday.kind === 'list')
    pieces.push(`${day.kind === 'list' ? 'or' : 'on'} ${describeList(weekday, weekdaySpec)}`);
  if (month.kind === 'step') pieces.push(`every ${month.every} months`);
  if (month.kind === 'list') pieces.push(`in ${describeList(month, monthSpec)}`);
  if (pieces.length === 1 && single(minute) !== undefined && single(hour) !== undefined)
    pieces.push('every day');
  return { ok: true, text: pieces.join(' ') };
}
