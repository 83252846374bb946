import { Buffer } from 'node:buffer';
import { open, writeFile } from 'node:fs/promises';
import { OrbitError } from '../errors.ts';
import type { AuditKey } from './audit-chain.ts';
import { type AuditVerifyReport, verifyAuditLog } from './audit-verify.ts';

export interface AuditRepairResult {
  /** Where the torn bytes were saved, or null when there was nothing to repair. */
  readonly tornSavedTo: string | null;
  readonly report: AuditVerifyReport;
}

/**
 * Repairs the one thing a crash can do to a log: a torn last line. Its bytes are saved beside the
 * log before the log is cut back to its last complete line, so nothing is lost. Any other problem
 * is tampering evidence and is refused.
 */
export async function repairAuditLog(path: string, key: AuditKey): Promise<AuditRepairResult> {
  const report = await verifyAuditLog(path, key);
  const torn = report.tornTail;
  if (torn === null) {
    if (report.ok) return { tornSavedTo: null, report };
    throw refuse(path, report);
  }
  const others = report.problems.filter((problem) => problem.line !== torn.line);
  if (others.length > 0) throw refuse(path, { ...report, problems: others });

  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(size - torn.byteOffset);
    await handle.read(tail, 0, tail.length, torn.byteOffset);
    const savedTo = `${path}.torn-${new Date().toISOString().replaceAll(':', '')}`;
    await writeFile(savedTo, tail, { flag: 'wx' });
    await handle.truncate(torn.byteOffset);
    await handle.sync();
    return { tornSavedTo: savedTo, report: await verifyAuditLog(path, key) };
  } finally {
    await handle.close();
  }
}

function refuse(path: string, report: AuditVerifyReport): OrbitError {
  const first = report.problems[0];
  return new OrbitError(
    'AUDIT_TAMPERED',
    `audit log cannot be repaired: ${first?.message ?? 'it does not verify'}`,
    {
      file: path,
      line: first?.line,
      hint: 'only a torn last line from a crash is repairable; keep this log as evidence and start a new one',
    },
  );
}
