/**
 * Copies of streamed chunks for the socket, which may hold a frame's payload until the receiver
 * acknowledges it (a write resolves before the bytes leave). One ring of memory: copies are placed
 * one after another and freed in the order they are acknowledged. The window bounds what is
 * unacknowledged, so a ring of the window plus a few maximal chunks always has room; should it not,
 * a copy gets its own buffer.
 */
export class SendArena {
  readonly #memory: Uint8Array;
  /** Copies on the wire, oldest first: `[start, end)` of the ring, free once `until` is acknowledged. */
  readonly #lent: { readonly start: number; readonly end: number; readonly until: number }[] = [];
  #head = 0;

  constructor(capacity: number) {
    this.#memory = new Uint8Array(capacity);
  }

  /** A copy of `data` that nothing else writes to, given `acked` body bytes acknowledged. */
  copy(data: Uint8Array, acked: number): Uint8Array {
    while (this.#lent[0] !== undefined && this.#lent[0].until <= acked) this.#lent.shift();
    const start = this.#place(data.length);
    const view =
      start === undefined ? new Uint8Array(data.length) : this.#memory.subarray(start, start + data.length);
    view.set(data);
    return view;
  }

  /** `view` (from `copy`) may be held by the socket until `until` body bytes are acknowledged. */
  lend(view: Uint8Array, until: number): void {
    if (view.buffer !== this.#memory.buffer) return;
    const start = view.byteOffset - this.#memory.byteOffset;
    this.#lent.push({ start, end: start + view.length, until });
    this.#head = start + view.length;
  }

  /** Where `length` free bytes start: after the newest copy, or at the front once the oldest left it. */
  #place(length: number): number | undefined {
    const oldest = this.#lent[0];
    if (oldest === undefined) return length <= this.#memory.length ? 0 : undefined;
    const head = this.#head;
    if (head > oldest.start) {
      if (head + length <= this.#memory.length) return head;
      return length <= oldest.start ? 0 : undefined;
    }
    return head + length <= oldest.start ? head : undefined;
  }
}
