import { randomUUID } from 'node:crypto';
import type { CommandResult__Output, NucleusMessage, ResultPart__Output } from '@orbit/proto';
import type { LeaseFence } from '../dispatch/lease-fence.ts';
import type { CommandRecords, FinishedState } from './command-records.ts';
import { GridCommandError } from './grid-command-error.ts';
import type { CommandOutcome, SendCommandOptions } from './grid-hub.ts';

/** A command sent to a Star (or re-attached to) whose result this process waits for. */
export interface PendingCommand {
  readonly id: string;
  readonly starId: string;
  readonly teamId: string;
  readonly options: SendCommandOptions;
  readonly parts: ResultPart__Output[];
  nextSequence: number;
  /** Set for commands with a GridCommand row: the lease term that writes its outcome. */
  readonly record: { readonly fence: LeaseFence } | undefined;
  resolve(outcome: CommandOutcome): void;
  reject(error: GridCommandError): void;
}

export interface PendingCommands {
  /** Starts waiting for `command`; it fails with DEADLINE_EXCEEDED after `deadlineMs` (and the Star is told to stop). */
  add(command: PendingCommand, deadlineMs: number, deadlineMessage: string): void;
  /** The command if it is pending for this Star (a Star cannot answer another Star's command). */
  of(starId: string, commandId: string): PendingCommand | undefined;
  forStar(starId: string): PendingCommand[];
  all(): PendingCommand[];
  /**
   * The Star's result: resolves the waiter. A recorded command's success is neither acknowledged
   * nor closed here: its caller stores the result in its own fenced transaction, then calls
   * `acknowledge`; until then the Star keeps it and replays it to whichever Nucleus it reaches.
   */
  succeed(command: PendingCommand, result: CommandResult__Output): void;
  /** Fails the command; `state` closes its record, undefined leaves it open for a re-attach. */
  fail(command: PendingCommand, error: GridCommandError, state?: FinishedState): void;
}

/**
 * The table of commands awaiting a Star, with their deadlines and the GridCommand rows they close.
 * `write` reaches the Star's current session, whichever it is when the message goes.
 */
export function createPendingCommands(
  write: (starId: string, message: NucleusMessage) => void,
  records: CommandRecords | undefined,
): PendingCommands {
  const pending = new Map<string, PendingCommand>();
  const timers = new Map<string, NodeJS.Timeout>();

  function settle(command: PendingCommand, state?: FinishedState, error?: string): void {
    clearTimeout(timers.get(command.id));
    timers.delete(command.id);
    pending.delete(command.id);
    if (command.record && state) {
      void records?.finish(
        command.id,
        { state, ...(error ? { error } : {}) },
        { teamId: command.teamId, fence: command.record.fence },
      );
    }
  }

  const table: PendingCommands = {
    add(command, deadlineMs, deadlineMessage) {
      pending.set(command.id, command);
      const timer = setTimeout(
        () => {
          const current = pending.get(command.id);
          if (current)
            table.fail(
              current,
              new GridCommandError('ERROR_CODE_DEADLINE_EXCEEDED', deadlineMessage),
              'failed',
            );
          write(command.starId, { command: { id: randomUUID(), cancel: { commandId: command.id } } });
        },
        Math.max(deadlineMs, 0),
      );
      timers.set(command.id, timer);
    },
    of(starId, commandId) {
      const command = pending.get(commandId);
      return command?.starId === starId ? command : undefined;
    },
    forStar: (starId) => [...pending.values()].filter((command) => command.starId === starId),
    all: () => [...pending.values()],
    succeed(command, result) {
      const ack = () =>
        write(command.starId, { ack: { commandId: command.id, sequence: 0, resultStored: true } });
      settle(command);
      if (!command.record) ack();
      command.resolve({ result, parts: command.parts, acknowledge: command.record ? ack : () => undefined });
    },
    fail(command, error, state) {
      settle(command, state, `${error.code}: ${error.message}`);
      command.reject(error);
    },
  };
  return table;
}
