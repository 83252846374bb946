/**
 * Shape and range check for a classic 5-field cron expression (minute hour day-of-month month
 * day-of-week). Orbit only validates it here; the Nucleus does the scheduling.
 */

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
