import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { type AuditKey, hasValidAuditMac, resolveAuditKey } from './audit-chain.ts';
import { auditEventSchema, chainFieldsSchema } from './audit-events.ts';
import { type AuditAnchorCheck, checkAuditAnchor } from './audit-head.ts';

/**
 * Verifies an audit log line by line and names the line of every problem. What the file alone
 * cannot show is lines cut from its end; the `.head` anchor the writer keeps catches that, as long
 * as the anchor itself survives (an attacker who deletes both log tail and anchor is only caught
 * by comparing with a copy, e.g. the Nucleus' database chain).
 */
export type AuditProblemKind =
  | 'malformed'
  | 'bad-mac'
  | 'broken-link'
  | 'sequence-gap'
  | 'reordered'
  | 'truncated'
  | 'anchor-mismatch';

export interface AuditProblem {
  /** 1-based line in the log; anchor problems use the line after the last one. */
  readonly line: number;
  readonly kind: AuditProblemKind;
  readonly message: string;
}

export interface AuditVerifyReport {
  readonly ok: boolean;
  readonly lines: number;
  readonly problems: readonly AuditProblem[];
  readonly anchor: AuditAnchorCheck['status'];
  /** The last line's chain position when it verified, i.e. where an append would continue. */
  readonly last: { readonly seq: number; readonly mac: string } | null;
  /** Set when the final line has no newline: a write cut short by a crash. */
  readonly tornTail: { readonly line: number; readonly byteOffset: number } | null;
}

interface ParsedLine {
  readonly line: number;
  readonly seq: number;
  readonly prev: string | null;
  readonly mac: string;
  readonly macValid: boolean;
}

export interface AuditTextCheck {
  readonly lines: number;
  readonly problems: AuditProblem[];
  readonly parsed: readonly ParsedLine[];
  readonly tornTail: AuditVerifyReport['tornTail'];
}

/** Pure check of a log's text; the caller adds the anchor check. */
export function verifyAuditText(text: string, key: AuditKey): AuditTextCheck {
  const keyBytes = resolveAuditKey(key);
  const rawLines = text.split('\n');
  const endsWithNewline = rawLines.at(-1) === '';
  if (endsWithNewline) rawLines.pop();
  const problems: AuditProblem[] = [];
  const parsed: ParsedLine[] = [];
  let tornTail: AuditVerifyReport['tornTail'] = null;

  rawLines.forEach((raw, index) => {
    const line = index + 1;
    const isTorn = !endsWithNewline && index === rawLines.length - 1;
    if (isTorn) {
      tornTail = { line, byteOffset: Buffer.byteLength(text) - Buffer.byteLength(raw) };
      problems.push({
        line,
        kind: 'malformed',
        message: `line ${line} is incomplete: the log does not end with a newline, so a write was cut short (e.g. by a crash); run \`orbit audit verify --repair\` to move it aside`,
      });
      return;
    }
    const result = parseLine(raw, line, keyBytes);
    if ('problem' in result) {
      problems.push(result.problem);
      return;
    }
    parsed.push(result.parsed);
    if (!result.parsed.macValid) {
      problems.push({
        line,
        kind: 'bad-mac',
        message: `line ${line} (seq ${result.parsed.seq}) was changed or inserted without the key: its mac does not match (or the log was written with a different key)`,
      });
    }
    if (result.eventProblem !== null) problems.push(result.eventProblem);
  });

  problems.push(...checkOrder(parsed));
  problems.sort((a, b) => a.line - b.line);
  return { lines: rawLines.length, problems, parsed, tornTail };
}

type LineResult = { problem: AuditProblem } | { parsed: ParsedLine; eventProblem: AuditProblem | null };

function parseLine(raw: string, line: number, key: Uint8Array): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: { line, kind: 'malformed', message: `line ${line} is not valid JSON (${reason})` } };
  }
  const chain = chainFieldsSchema.safeParse(value);
  if (!chain.success || typeof value !== 'object' || value === null) {
    return {
      problem: {
        line,
        kind: 'malformed',
        message: `line ${line} is not an audit record: it lacks a valid seq, prev or mac`,
      },
    };
  }
  const { seq, prev, mac } = chain.data;
  const macValid = hasValidAuditMac(key, value as { mac: string });
  const { seq: _s, prev: _p, mac: _m, ...event } = value as Record<string, unknown>;
  const eventCheck = auditEventSchema.safeParse(event);
  const issue = eventCheck.success ? undefined : eventCheck.error.issues[0];
  const eventProblem: AuditProblem | null =
    issue === undefined
      ? null
      : {
          line,
          kind: 'malformed',
          message: `line ${line} is not a known audit event: ${issue.path.join('.') || 'type'}: ${issue.message}`,
        };
  return { parsed: { line, seq, prev, mac, macValid }, eventProblem };
}

/** Sequence and link checks: removed lines leave a gap and a dangling `prev`, moved lines a misplaced one. */
function checkOrder(parsed: readonly ParsedLine[]): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const lineOfSeq = new Map<number, number>();
  const lineOfMac = new Map<string, number>();
  for (const entry of parsed) {
    if (!lineOfSeq.has(entry.seq)) lineOfSeq.set(entry.seq, entry.line);
    lineOfMac.set(entry.mac, entry.line);
  }
  let highest = 0;
  let before: ParsedLine | null = null;
  for (const entry of parsed) {
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

/** Reads and verifies the log at `path`, and its `.head` anchor when there is one. */
export async function verifyAuditLog(path: string, key: AuditKey): Promise<AuditVerifyReport> {
  const text = await readFile(path, 'utf8');
  const check = verifyAuditText(text, key);
  const lastParsed = check.parsed.at(-1);
  const lastIsLine = lastParsed !== undefined && lastParsed.line === check.lines;
  const last =
    lastIsLine && check.problems.length === 0 ? { seq: lastParsed.seq, mac: lastParsed.mac } : null;
  const anchor = await checkAuditAnchor(path, key, check.parsed, check.lines);
  const problems = anchor.problem === null ? check.problems : [...check.problems, anchor.problem];
  return {
    ok: problems.length === 0,
    lines: check.lines,
    problems,
    anchor: anchor.status,
    last,
    tornTail: check.tornTail,
  };
}
