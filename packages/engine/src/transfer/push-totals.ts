/**
 * What a Star-to-Star push did: counted by the sending Star, reported to the Nucleus in each
 * batch's result, and summed on the run (`checkpoints.transfer`). One shape for all three.
 */
export interface PushTotals {
  /** Source bytes read: the chunking pass plus the chunks read again to send. */
  bytesRead: number;
  /** Source bytes FastCDC cut (every byte of a first copy; only around the edits of a guided re-sync). */
  cutBytes: number;
  /** Source bytes only hashed, along the chunk list the receiver held of its copy: not cut. */
  guidedBytes: number;
  /** Frame bytes written to the connection (inside TLS), headers included. */
  wireBytes: number;
  /** Raw bytes of the chunks sent: data the receiver did not have. */
  newBytes: number;
  chunksSent: number;
  /** Chunks the receiver already held (old file, resumed temp file) or that repeat within a file. */
  chunksReused: number;
  filesSent: number;
  filesUnchanged: number;
  filesFailed: number;
  connections: number;
}

export function emptyPushTotals(): PushTotals {
  return {
    bytesRead: 0,
    cutBytes: 0,
    guidedBytes: 0,
    wireBytes: 0,
    newBytes: 0,
    chunksSent: 0,
    chunksReused: 0,
    filesSent: 0,
    filesUnchanged: 0,
    filesFailed: 0,
    connections: 0,
  };
}

/** Adds `more` into `totals`, field by field. */
export function addPushTotals(totals: PushTotals, more: Readonly<PushTotals>): void {
  for (const key of Object.keys(totals) as (keyof PushTotals)[]) totals[key] += more[key];
}
