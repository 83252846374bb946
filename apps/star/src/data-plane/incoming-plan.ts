import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import type { CopyStep, OldFileIndex } from './old-file-index.ts';

/** What a sender's chunk list leaves to do, given what this Star already holds. */
export interface ListPlan {
  /** Copies from the old file, in the order of the new file: one read per distinct chunk. */
  readonly steps: CopyStep[];
  /** Hash → indices still to arrive; a hash that repeats in the file is sent once. */
  readonly missing: Map<string, number[]>;
  /** Indices in place (`present`) or to be copied from the old file, ascending: the HAVE answer. */
  readonly have: number[];
  /** How many chunks come from the old file. */
  readonly copied: number;
}

/**
 * Matches a chunk list against the chunks already in the temp file (`present`) and the old file's
 * index: every other chunk the old file holds is copied, the rest must arrive.
 */
export function planList(
  chunks: readonly ChunkRef[],
  present: ReadonlySet<number>,
  old: OldFileIndex | undefined,
): ListPlan {
  const steps = new Map<string, { from: number; length: number; to: { offset: number; index: number }[] }>();
  const missing = new Map<string, number[]>();
  const have = new Set(present);
  let copied = 0;
  for (const [index, chunk] of chunks.entries()) {
    if (present.has(index)) continue;
    const found = old?.chunks.get(chunk.hash);
    if (found !== undefined && found.length === chunk.length) {
      const step = steps.get(chunk.hash) ?? { from: found.offset, length: found.length, to: [] };
      step.to.push({ offset: chunk.offset, index });
      steps.set(chunk.hash, step);
      have.add(index);
      copied++;
      continue;
    }
    const list = missing.get(chunk.hash);
    if (list) list.push(index);
    else missing.set(chunk.hash, [index]);
  }
  const ordered = [...steps.values()].sort((a, b) => (a.to[0]?.offset ?? 0) - (b.to[0]?.offset ?? 0));
  return { steps: ordered, missing, have: [...have].sort((a, b) => a - b), copied };
}
