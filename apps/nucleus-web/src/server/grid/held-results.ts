import type { CommandResult__Output, NucleusMessage, ResultPart__Output } from '@orbit/proto';
import type { CommandRecords } from './command-records.ts';

/** Output for a command this process did not send, held (unacknowledged) while its record is open. */
export interface HeldOutput {
  readonly starId: string;
  readonly parts: ResultPart__Output[];
  result: CommandResult__Output | undefined;
}

export interface HeldResults {
  /**
   * Where output for `commandId` (which nobody here waits for) is kept. With records, it is held
   * unacknowledged while its GridCommand row is open (a dispatcher will adopt it); undefined when
   * it is not held, and the caller acknowledges it so the Star can drop it.
   */
  hold(starId: string, commandId: string): HeldOutput | undefined;
  /** Hands held output to the dispatcher that re-attaches to the command. */
  take(commandId: string): HeldOutput | undefined;
  /** The Star's session ended or was replaced: it replays everything unacknowledged on the next one. */
  dropStar(starId: string): void;
}

/**
 * Output a Star sends for commands another Nucleus process issued (before a restart or takeover).
 * `write` reaches the Star's current session.
 */
export function createHeldResults(
  records: CommandRecords | undefined,
  write: (starId: string, message: NucleusMessage) => void,
): HeldResults {
  const held = new Map<string, HeldOutput>();
  return {
    hold(starId, commandId) {
      if (!records) return undefined;
      const known = held.get(commandId);
      if (known) return known;
      const output: HeldOutput = { starId, parts: [], result: undefined };
      held.set(commandId, output);
      records.isOpen(commandId).then(
        (open) => {
          if (open || held.get(commandId) !== output) return;
          held.delete(commandId);
          if (output.result) write(output.starId, { ack: { commandId, sequence: 0, resultStored: true } });
        },
        // Unsure: keep it unacknowledged; the Star replays it on its next session.
        () => held.delete(commandId),
      );
      return output;
    },
    take(commandId) {
      const output = held.get(commandId);
      held.delete(commandId);
      return output;
    },
    dropStar(starId) {
      for (const [id, output] of held) if (output.starId === starId) held.delete(id);
    },
  };
}
