import type { Ack__Output, StarMessage } from '@orbit/proto';

/** The part of a client Session stream the outbox writes to. */
export interface WritableSession {
  write(message: StarMessage): boolean;
  once(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/**
 * Keeps every result part and result until the Nucleus acknowledges it, so output produced while
 * the stream is down, or lost with it, is replayed on the next session instead of vanishing.
 */
export class ResultOutbox {
  readonly #entries = new Map<string, StarMessage[]>();
  #session: WritableSession | undefined;

  /** Stores the message and writes it if connected; resolves when the stream can take more. */
  async send(message: StarMessage): Promise<void> {
    const commandId = message.resultPart?.commandId ?? message.commandResult?.commandId;
    if (commandId !== undefined) {
      const kept = this.#entries.get(commandId) ?? [];
      kept.push(message);
      this.#entries.set(commandId, kept);
    }
    await this.#write(message);
  }

  /** Writes without keeping: heartbeats and Hello are never replayed. */
  sendOnce(message: StarMessage): void {
    this.#session?.write(message);
  }

  acknowledge(ack: Ack__Output): void {
    const kept = this.#entries.get(ack.commandId);
    if (!kept) return;
    if (ack.resultStored) {
      this.#entries.delete(ack.commandId);
      return;
    }
    const remaining = kept.filter(
      (message) => !message.resultPart || (message.resultPart.sequence ?? 0) > ack.sequence,
    );
    this.#entries.set(ack.commandId, remaining);
  }

  /** Ids of commands with output the Nucleus has not stored yet. */
  unacknowledgedIds(): string[] {
    return [...this.#entries.keys()];
  }

  /** A new session: replay everything still unacknowledged, in order. */
  attach(session: WritableSession): void {
    this.#session = session;
    for (const messages of this.#entries.values()) for (const message of messages) session.write(message);
  }

  detach(session: WritableSession): void {
    if (this.#session === session) this.#session = undefined;
  }

  async #write(message: StarMessage): Promise<void> {
    const session = this.#session;
    if (!session || session.write(message)) return;
    // Backpressure: wait until the HTTP/2 stream drains its buffer, or the stream goes away (then replay covers it).
    await new Promise<void>((resolve) => {
      const events = ['drain', 'close', 'error'] as const;
      const done = () => {
        for (const event of events) session.off(event, done);
        resolve();
      };
      for (const event of events) session.once(event, done);
    });
  }
}
