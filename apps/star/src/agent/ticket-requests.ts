import type { StarMessage, TicketGrant__Output } from '@orbit/proto';
import { CommandRefusal } from './command-error.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Asks the Nucleus for fresh data-plane tickets on the Session (TicketRequest → TicketGrant).
 * A push asks before it reconnects, so a transfer outliving its first ticket keeps going.
 */
export class TicketRequests {
  readonly #waiting = new Map<string, Array<(grant: TicketGrant__Output) => void>>();

  constructor(
    private readonly sendOnce: (message: StarMessage) => void,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  request(commandId: string, signal: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const done = (grant: TicketGrant__Output) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (grant.ticket !== '') resolve(grant.ticket);
        else
          reject(
            new CommandRefusal(
              'ERROR_CODE_PERMISSION_DENIED',
              `the Nucleus granted no new ticket: ${grant.error || 'no reason given'}`,
            ),
          );
      };
      const drop = () => {
        const list = (this.#waiting.get(commandId) ?? []).filter((entry) => entry !== done);
        if (list.length === 0) this.#waiting.delete(commandId);
        else this.#waiting.set(commandId, list);
      };
      const timer = setTimeout(() => {
        drop();
        signal.removeEventListener('abort', onAbort);
        reject(
          new CommandRefusal(
            'ERROR_CODE_UNAVAILABLE',
            `the Nucleus did not answer a ticket request within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      const onAbort = () => {
        clearTimeout(timer);
        drop();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(commandId, [...(this.#waiting.get(commandId) ?? []), done]);
      this.sendOnce({ ticketRequest: { commandId } });
    });
  }

  /** A TicketGrant arrived on the Session. */
  grant(grant: TicketGrant__Output): void {
    const list = this.#waiting.get(grant.commandId);
    this.#waiting.delete(grant.commandId);
    for (const done of list ?? []) done(grant);
  }
}
