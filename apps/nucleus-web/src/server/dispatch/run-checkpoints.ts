import type { Tx } from '../audit/append-audit.ts';
import type { Prisma } from '../db/create-db.ts';

/** `Run.checkpoints`: one key per thing the dispatcher keeps (push counters, the push in flight, each step's figures). */
export type Checkpoints = Prisma.InputJsonObject;

/** The run's checkpoints as stored now, inside the caller's transaction (anything but an object reads as empty). */
export async function readCheckpoints(tx: Tx, runId: string): Promise<Checkpoints> {
  const row = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { checkpoints: true } });
  const value = row.checkpoints;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Checkpoints) : {};
}

/**
 * `current` with each key of `patch` written over it (an undefined value drops the key). Writers
 * replace only their own keys, so a step's figures survive the pushes after it.
 */
export function patchCheckpoints(
  current: Checkpoints,
  patch: { readonly [key: string]: Prisma.InputJsonValue | null | undefined },
): Checkpoints {
  const next: Record<string, Prisma.InputJsonValue | null | undefined> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}
