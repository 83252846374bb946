import { type AuditKey, hasValidAuditMac, resolveAuditKey } from './audit-chain.ts';
import { chainFieldsSchema } from './audit-events.ts';

/**
 * Pure chain checks over parsed records, shared by the JSON Lines log and the Nucleus' database
 * chain. A problem's `line` is the record's 1-based position (the line of a log file, the row in
 * seq order of a table).
 */
export type AuditProblemKind =
  | 'malformed'
  | 'bad-mac'
  | 'broken-link'
  | 'sequence-gap'
  | 'reordered'
  | 'truncated'
  | 'anchor-mismatch'
  | 'wrong-key';

export interface AuditProblem {
  /** 1-based position; anchor problems use the position after the last record. */
  readonly line: number;
  readonly kind: AuditProblemKind;
  readonly message: string;
}

export interface CheckedRecord {
  readonly line: number;
  readonly seq: number;
  readonly prev: string | null;
  readonly mac: string;
  readonly macValid: boolean;
}

/** Returns why an event body is not acceptable, or null when it is. */
export type AuditEventValidator = (event: Record<string, unknown>) => string | null;

export interface AuditRecordsCheck {
  readonly problems: AuditProblem[];
  readonly checked: CheckedRecord[];
}

/** Checks one record's shape, mac and event body; the order checks need all records (`checkAuditOrder`). */
export function checkAuditRecord(
  value: unknown,
  line: number,
  key: AuditKey,
  validateEvent?: AuditEventValidator,
): { readonly problems: AuditProblem[]; readonly checked: CheckedRecord | null } {
  const chain = chainFieldsSchema.safeParse(value);
  if (!chain.success || typeof value !== 'object' || value === null) {
    const message = `line ${line} is not an audit record: it lacks a valid seq, prev or mac`;
    return { problems: [{ line, kind: 'malformed', message }], checked: null };
  }
  const { seq, prev, mac } = chain.data;
  const macValid = hasValidAuditMac(key, value as { mac: string });
  const problems: AuditProblem[] = [];
  if (!macValid) {
    problems.push({
      line,
      kind: 'bad-mac',
      message: `line ${line} (seq ${seq}) was changed or inserted without the key: its mac does not match (or the log was written with a different key)`,
    });
  }
  const { seq: _seq, prev: _prev, mac: _mac, ...event } = value as Record<string, unknown>;
  const reason = validateEvent?.(event) ?? null;
  if (reason !== null) {
    problems.push({ line, kind: 'malformed', message: `line ${line} is not a known audit event: ${reason}` });
  }
  return { problems, checked: { line, seq, prev, mac, macValid } };
}

/** Checks records given in stored order (e.g. rows read back from a table ordered by position). */
export function verifyAuditRecords(
  records: readonly unknown[],
  key: AuditKey,
  validateEvent?: AuditEventValidator,
): AuditRecordsCheck {
  const keyBytes = resolveAuditKey(key);
  const problems: AuditProblem[] = [];
  const checked: CheckedRecord[] = [];
  records.forEach((record, index) => {
    const result = checkAuditRecord(record, index + 1, keyBytes, validateEvent);
    problems.push(...result.problems);
    if (result.checked !== null) checked.push(result.checked);
  });
  problems.push(...checkAuditOrder(checked));
  problems.sort((a, b) => a.line - b.line);
  return { problems, checked };
}

/** Sequence and link checks: removed records leave a gap and a dangling `prev`, moved ones a misplaced one. */
export function checkAuditOrder(checked: readonly CheckedRecord[]): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const lineOfSeq = new Map<number, number>();
  const lineOfMac = new Map<string, number>();
  for (const entry of checked) {
    if (!lineOfSeq.has(entry.seq)) lineOfSeq.set(entry.seq, entry.line);
    lineOfMac.set(entry.mac, entry.line);
  }
  let highest = 0;
  let before: CheckedRecord | null = null;
  for (const entry of checked) {
    const { line, seq, prev } = entry;
    const expected = highest + 1;
    if (seq <= highest) {
      const first = lineOfSeq.get(seq);
      problems.push({
        line,
        kind: 'reordered',
        message:
          first !== undefined && first !== line
            ? `line ${line} repeats seq ${seq} of line ${first}`
            : `line ${line} has seq ${seq} after seq ${highest}: lines are out of order`,
      });
    } else if (seq > expected) {
      const laterLine = firstLaterLine(lineOfSeq, expected, seq, line);
      problems.push(
        laterLine !== undefined
          ? {
              line,
              kind: 'reordered',
              message: `line ${line} has seq ${seq} but an earlier seq comes later at line ${laterLine}: lines are out of order`,
            }
          : {
              line,
              kind: 'sequence-gap',
              message: `line ${line} has seq ${seq} where seq ${expected} was due: ${seq - expected} line(s) were removed before it`,
            },
      );
    }
    highest = Math.max(highest, seq);

    const expectedPrev = before === null ? null : before.mac;
    if (prev !== expectedPrev) {
      const linkedLine = prev === null ? undefined : lineOfMac.get(prev);
      const previous = before === null ? 'none (it is the first line)' : `line ${before.line}'s mac`;
      problems.push(
        linkedLine !== undefined
          ? {
              line,
              kind: 'reordered',
              message: `line ${line} links to line ${linkedLine} instead of ${previous}: lines are out of order`,
            }
          : {
              line,
              kind: 'broken-link',
              message: `line ${line}'s prev does not match ${previous}: the record it followed is missing or was changed`,
            },
      );
    }
    before = entry;
  }
  return problems;
}

function firstLaterLine(
  lineOfSeq: ReadonlyMap<number, number>,
  from: number,
  to: number,
  line: number,
): number | undefined {
  for (let seq = from; seq < to; seq++) {
    const found = lineOfSeq.get(seq);
    if (found !== undefined && found > line) return found;
  }
  return undefined;
}
