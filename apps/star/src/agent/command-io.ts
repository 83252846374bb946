import type { Progress, ResultPart } from '@orbit/proto';
import type { PathJail } from '../security/path-jail.ts';

/** What a command handler may use: the jail, its cancellation signal and the part stream. */
export interface CommandIo {
  readonly jail: PathJail;
  /** Aborted on Cancel, on the command's deadline, and when the Star stops. */
  readonly signal: AbortSignal;
  /** Target size of one part, bytes (from the Nucleus' Settings). */
  readonly partMaxBytes: number;
  /** Sends the next part (the runner numbers it); resolves once the stream can take more. */
  emitPart(part: Pick<ResultPart, 'scanEntries' | 'chunkList'>, last: boolean): Promise<void>;
  partsSent(): number;
  /** Reports how far the command got; never replayed after a reconnect (a newer one follows). */
  progress(update: Omit<Progress, 'commandId'>): void;
}
