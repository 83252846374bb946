import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite } from './lease-fence.ts';

export interface PruneOptions {
  /** Rows finished longer ago than this go. */
  readonly olderThanMs: number;
  /** Rows deleted per transaction, so a large backlog never holds locks for long. */
  readonly batchSize?: number;
}

/**
 * Deletes finished GridCommand rows (succeeded, failed, abandoned) older than the retention, a
 * batch per fenced transaction; open rows are never touched, whatever their age: a dispatcher may
 * still re-attach to them. Returns how many rows went.
 */
export async function pruneFinishedCommands(deps: DispatchDeps, options: PruneOptions): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const deleted = await fencedWrite(
      deps,
      'command.prune',
      { teamId: null, objectType: 'grid_command', objectId: null },
      (tx) => tx.$executeRaw`
        DELETE FROM "GridCommand" WHERE id IN (
          SELECT id FROM "GridCommand"
          WHERE state <> 'open'::"GridCommandState" 
            AND "finishedAt" < now() AT TIME ZONE 'UTC' - ${options.olderThanMs} * interval '1 millisecond'
          LIMIT ${batchSize})`,
    );
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
