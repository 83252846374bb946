/** The smallest buffer handed out; chunks are at least `chunking.minSize` (≥ 64 bytes) anyway. */
const MIN_BUFFER = 64 * 1024;

/**
 * Copies of chunk bytes for the socket, which may hold a frame's payload until the receiver has
 * acknowledged it (a write resolves before the bytes leave). A buffer is reused once its frame is
 * acknowledged; sizes are powers of two, so chunks of any length share a pool about the window's
 * size instead of one allocation per chunk.
 */
export class SendBuffers {
  readonly #spare = new Map<number, Uint8Array[]>();
  readonly #lent: { readonly buffer: Uint8Array; readonly until: number }[] = [];
  #largest = 0;

  /** A copy of `data` in a buffer the socket holds no more, given `acked` body bytes acknowledged. */
  copy(data: Uint8Array, acked: number): Uint8Array {
    while (this.#lent[0] !== undefined && this.#lent[0].until <= acked) {
      const { buffer } = this.#lent.shift() as { buffer: Uint8Array };
      const spare = this.#spare.get(buffer.length);
      if (spare) spare.push(buffer);
      else this.#spare.set(buffer.length, [buffer]);
    }
    let size = MIN_BUFFER;
    while (size < data.length) size *= 2;
    let buffer: Uint8Array | undefined;
    for (let fits = size; buffer === undefined && fits <= this.#largest; fits *= 2) {
      buffer = this.#spare.get(fits)?.pop();
    }
    if (buffer === undefined) {
      buffer = new Uint8Array(size);
      this.#largest = Math.max(this.#largest, size);
    }
    const view = buffer.subarray(0, data.length);
    view.set(data);
    return view;
  }

  /** `view` (from `copy`) may be held by the socket until `until` body bytes are acknowledged. */
  lend(view: Uint8Array, until: number): void {
    this.#lent.push({ buffer: new Uint8Array(view.buffer), until });
  }
}
