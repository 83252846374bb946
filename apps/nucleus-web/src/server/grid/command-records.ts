import type { CommandResult__Output } from '@orbit/proto';
import type { Db } from '../db/create-db.ts';
import { fencedWrite, type LeaseFence } from '../dispatch/lease-fence.ts';
import type { ServerTasks } from './server-tasks.ts';

export type FinishedState = 'succeeded' | 'failed' | 'abandoned';

/** The outcome the hub writes on a GridCommand row when its result is in (or the command is gone). */
export interface FinishedCommand {
  readonly state: FinishedState;
  readonly result?: Record<string, string | number | boolean>;
  readonly error?: string;
}

/**
 * The hub's view of GridCommand rows: the dispatcher writes them before sending (with the run
 * change that issues the command) and closes a push's row when it records its batch; the hub
 * closes rows of commands that failed, under the lease term that sent or re-attached to them.
 */
export interface CommandRecords {
  /** Whether a result for an id this process never sent belongs to an open record (kept for re-attach). */
  isOpen(commandId: string): Promise<boolean>;
  finish(
    commandId: string,
    outcome: FinishedCommand,
    term: { readonly teamId: string; readonly fence: LeaseFence },
  ): Promise<void>;
}

/** The hub awaits none of these: they run as the server's `tasks`, which its stop waits for. */
export function createCommandRecords(
  prisma: Db,
  auditKey: string,
  log: (message: string) => void,
  tasks: ServerTasks,
): CommandRecords {
  return {
    isOpen(commandId) {
      return tasks.run(`command ${commandId} lookup`, async () => {
        const row = await prisma.gridCommand.findUnique({
          where: { id: commandId },
          select: { state: true },
        });
        return row?.state === 'open';
      });
    },
    async finish(commandId, outcome, { teamId, fence }) {
      try {
        await tasks.run(`command ${commandId} outcome`, () =>
          fencedWrite(
            { prisma, auditKey, fence },
            `command.${outcome.state}`,
            { teamId, objectType: 'grid_command', objectId: commandId },
            // Only an open row moves: a late duplicate answer must not rewrite a stored outcome.
            (tx) =>
              tx.gridCommand.updateMany({
                where: { id: commandId, state: 'open' },
                data: {
                  state: outcome.state,
                  finishedAt: new Date(),
                  ...(outcome.result ? { result: outcome.result } : {}),
                  ...(outcome.error ? { error: outcome.error } : {}),
                },
              }),
          ),
        );
      } catch (error) {
        log(`command ${commandId} outcome not stored: ${(error as Error).message}`);
      }
    },
  };
}

/** The scalar counters of a result (e.g. pushChunks' byte counts), without per-file lists. */
export function summarizeResult(result: CommandResult__Output): Record<string, string | number | boolean> {
  const summary: Record<string, string | number | boolean> = {};
  const body = result.outcome ? (result as unknown as Record<string, unknown>)[result.outcome] : undefined;
  if (typeof body !== 'object' || body === null) return summary;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
      summary[key] = value;
    else if (typeof value === 'bigint') summary[key] = value.toString();
  }
  return summary;
}
