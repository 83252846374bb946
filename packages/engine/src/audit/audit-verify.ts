import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { OrbitError } from '../errors.ts';
import { type AuditKey, resolveAuditKey } from './audit-chain.ts';
import {
  type AuditEventValidator,
  type AuditProblem,
  type CheckedRecord,
  checkAuditOrder,
  checkAuditRecord,
} from './audit-chain-check.ts';
import { auditEventSchema } from './audit-events.ts';
import { type AuditAnchorCheck, checkAuditAnchor } from './audit-head.ts';

/**
 * Verifies an audit log line by line and names the line of every problem. What the file alone
 * cannot show is lines cut from its end; the `.head` anchor the writer keeps catches that, as long
 * as the anchor itself survives (an attacker who deletes both log tail and anchor is only caught
 * by comparing with a copy, e.g. the Nucleus' database chain).
 */
export interface AuditVerifyReport {
  readonly ok: boolean;
  readonly lines: number;
  readonly problems: readonly AuditProblem[];
  readonly anchor: AuditAnchorCheck['status'];
  /** The last line's chain position when the whole log verified, i.e. where an append continues. */
  readonly last: { readonly seq: number; readonly mac: string } | null;
  /** Set when the final line has no newline: a write cut short by a crash. */
  readonly tornTail: { readonly line: number; readonly byteOffset: number } | null;
}

export interface AuditTextCheck {
  readonly lines: number;
  readonly problems: AuditProblem[];
  readonly checked: readonly CheckedRecord[];
  readonly tornTail: AuditVerifyReport['tornTail'];
}

/** Every line must also be one of the event types in audit-events.ts. */
export const validateAuditEvent: AuditEventValidator = (event) => {
  const result = auditEventSchema.safeParse(event);
  const issue = result.success ? undefined : result.error.issues[0];
  return issue === undefined ? null : `${issue.path.join('.') || 'type'}: ${issue.message}`;
};

/** Pure check of a log's text; `verifyAuditLog` adds the anchor check. */
export function verifyAuditText(text: string, key: AuditKey): AuditTextCheck {
  const keyBytes = resolveAuditKey(key);
  const rawLines = text.split('\n');
  const endsWithNewline = rawLines.at(-1) === '';
  if (endsWithNewline) rawLines.pop();
  const problems: AuditProblem[] = [];
  const checked: CheckedRecord[] = [];
  let tornTail: AuditVerifyReport['tornTail'] = null;

  rawLines.forEach((raw, index) => {
    const line = index + 1;
    if (!endsWithNewline && index === rawLines.length - 1) {
      tornTail = { line, byteOffset: Buffer.byteLength(text) - Buffer.byteLength(raw) };
      problems.push({
        line,
        kind: 'malformed',
        message: `line ${line} is incomplete: the log does not end with a newline, so a write was cut short (e.g. by a crash); run \`orbit audit verify --repair\` to move it aside`,
      });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push({ line, kind: 'malformed', message: `line ${line} is not valid JSON (${reason})` });
      return;
    }
    const result = checkAuditRecord(value, line, keyBytes, validateAuditEvent);
    problems.push(...result.problems);
    if (result.checked !== null) checked.push(result.checked);
  });

  problems.push(...checkAuditOrder(checked));
  problems.sort((a, b) => a.line - b.line);
  return { lines: rawLines.length, problems: collapseWrongKey(problems, checked.length), checked, tornTail };
}

/**
 * When no line's MAC matches, the log was not tampered line by line: the key is wrong. One problem
 * that says so beats a list of every line.
 */
function collapseWrongKey(problems: AuditProblem[], records: number): AuditProblem[] {
  const badMacs = problems.filter((problem) => problem.kind === 'bad-mac').length;
  if (records < 2 || badMacs !== records) return problems;
  return [
    {
      line: 1,
      kind: 'wrong-key',
      message: `none of the ${records} lines matches its mac: this key is not the one the log was written with (check ORBIT_AUDIT_KEY or --key-env)`,
    },
    ...problems.filter((problem) => problem.kind !== 'bad-mac'),
  ];
}

/** Reads and verifies the log at `path`, and its `.head` anchor when there is one. */
export async function verifyAuditLog(path: string, key: AuditKey): Promise<AuditVerifyReport> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new OrbitError('NOT_FOUND', 'the audit log does not exist', {
      path,
      hint: 'check the path; the log is created by the first run that audits',
    });
  });
  const check = verifyAuditText(text, key);
  const lastChecked = check.checked.at(-1);
  const last =
    lastChecked !== undefined && lastChecked.line === check.lines && check.problems.length === 0
      ? { seq: lastChecked.seq, mac: lastChecked.mac }
      : null;
  const anchor = await checkAuditAnchor(path, key, check.checked, check.lines);
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
