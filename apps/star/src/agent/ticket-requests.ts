import type { StarMessage, TicketGrant__Output } from '@orbit/proto';
import type { ConnectionGrant } from '../data-plane/data-plane-client.ts';
import { CommandRefusal } from './command-error.ts';

export interface TicketRequestOptions {
  /** How long to wait for an answer before asking again; doubles up to `maxRetryMs`. */
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
  readonly log?: (line: string) => void;
}

interface Waiter {
  resolve(grant: ConnectionGrant): void;
  reject(error: unknown): void;
}

interface Asking {
  readonly waiters: Set<Waiter>;
  retryMs: number;
  timer: NodeJS.Timeout | undefined;
  /** Logged once per request: the Star waits for a Nucleus session to ask on. */
  toldWaiting: boolean;
}

/**
 * Asks the Nucleus for fresh data-plane tickets on the Session (TicketRequest → TicketGrant).
 * A push asks before it reconnects, so a transfer outliving its first ticket keeps going. A request
 * made while no session is up (the Nucleus restarts), or answered "not yet" (it is re-attaching),
 * is asked again when a session comes up and then with backoff, until the command's deadline.
 */
export class TicketRequests {
  readonly #asking = new Map<string, Asking>();
  readonly #firstRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #log: (line: string) => void;
  #connected = false;

  constructor(
    private readonly sendOnce: (message: StarMessage) => void,
    options: TicketRequestOptions = {},
  ) {
    this.#firstRetryMs = options.firstRetryMs ?? 1000;
    this.#maxRetryMs = options.maxRetryMs ?? 30_000;
    this.#log = options.log ?? (() => undefined);
  }

  /**
   * A fresh ticket for `commandId`, with the receiver's current certificate pin when the Nucleus
   * sends one. Rejects when the Nucleus refuses for good (the run ended), with DEADLINE_EXCEEDED
   * once `deadlineUnixMs` passes (0: no deadline), or with the signal's reason.
   */
  request(commandId: string, signal: AbortSignal, deadlineUnixMs: number): Promise<ConnectionGrant> {
    return new Promise<ConnectionGrant>((resolve, reject) => {
      let deadline: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        resolve: (grant) => {
          cleanup();
          resolve(grant);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(signal.reason);
      const cleanup = () => {
        clearTimeout(deadline);
        signal.removeEventListener('abort', onAbort);
        const asking = this.#asking.get(commandId);
        asking?.waiters.delete(waiter);
        if (asking && asking.waiters.size === 0) {
          clearTimeout(asking.timer);
          this.#asking.delete(commandId);
        }
      };
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (deadlineUnixMs > 0) {
        deadline = setTimeout(
          () =>
            waiter.reject(
              new CommandRefusal(
                'ERROR_CODE_DEADLINE_EXCEEDED',
                `no data-plane ticket for ${commandId} before the command's deadline (${new Date(deadlineUnixMs).toISOString()})`,
                'the Nucleus was unreachable or did not re-attach to the push in time',
              ),
            ),
          Math.max(deadlineUnixMs - Date.now(), 0),
        );
      }
      const known = this.#asking.get(commandId);
      if (known) {
        known.waiters.add(waiter);
        return;
      }
      const asking: Asking = {
        waiters: new Set([waiter]),
        retryMs: this.#firstRetryMs,
        timer: undefined,
        toldWaiting: false,
      };
      this.#asking.set(commandId, asking);
      this.#ask(commandId, asking);
    });
  }

  /** A TicketGrant arrived on the Session. */
  grant(grant: TicketGrant__Output): void {
    const asking = this.#asking.get(grant.commandId);
    if (!asking) return;
    if (grant.ticket === '' && grant.retry) {
      this.#log(`ticket for ${grant.commandId} not granted yet (${grant.error}); asking again`);
      return;
    }
    // A Nucleus that predates the field sends no pin: the push keeps the one it has.
    const pin = grant.peerCertFingerprint ? { fingerprint: grant.peerCertFingerprint } : {};
    for (const waiter of [...asking.waiters]) {
      if (grant.ticket !== '') waiter.resolve({ ticket: grant.ticket, ...pin });
      else
        waiter.reject(
          new CommandRefusal(
            'ERROR_CODE_PERMISSION_DENIED',
            `the Nucleus granted no new ticket: ${grant.error || 'no reason given'}`,
          ),
        );
    }
  }

  /** A session with a Nucleus is up: every ticket still wanted is asked for on it at once. */
  sessionUp(): void {
    this.#connected = true;
    for (const [commandId, asking] of this.#asking) {
      clearTimeout(asking.timer);
      asking.retryMs = this.#firstRetryMs;
      this.#ask(commandId, asking);
    }
  }

  sessionDown(): void {
    this.#connected = false;
  }

  /** Asks now if a session is up, and again after the current backoff unless answered by then. */
  #ask(commandId: string, asking: Asking): void {
    if (this.#connected) this.sendOnce({ ticketRequest: { commandId } });
    else if (!asking.toldWaiting) {
      asking.toldWaiting = true;
      this.#log(`ticket request for ${commandId} waits for a session with the Nucleus`);
    }
    asking.timer = setTimeout(() => {
      if (this.#asking.get(commandId) !== asking) return;
      asking.retryMs = Math.min(asking.retryMs * 2, this.#maxRetryMs);
      this.#ask(commandId, asking);
    }, asking.retryMs);
  }
}
