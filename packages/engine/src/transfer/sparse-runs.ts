/** Holes are punched a page at a time: a page with any non-zero byte is written whole. */
export const HOLE_PAGE = 4096;

export interface DataRun {
  /** Offsets into the block, `start` inclusive, `end` exclusive. */
  readonly start: number;
  readonly end: number;
}

/**
 * The stretches of `data` (which sits at `fileOffset` in its file) that must be written when zero
 * pages are left as holes: every file page holding a non-zero byte, merged into runs. Pages are
 * aligned to the file, not the block, so the holes line up with the filesystem's blocks; a block's
 * partial first and last pages count as data unless they are all zero.
 */
export function dataRuns(data: Uint8Array, fileOffset: number): DataRun[] {
  const runs: DataRun[] = [];
  let runStart = -1;
  let page = 0;
  while (page < data.length) {
    const pageEnd = Math.min(data.length, page + HOLE_PAGE - ((fileOffset + page) % HOLE_PAGE));
    const zero = isZero(data, page, pageEnd);
    if (!zero && runStart < 0) runStart = page;
    if (zero && runStart >= 0) {
      runs.push({ start: runStart, end: page });
      runStart = -1;
    }
    page = pageEnd;
  }
  if (runStart >= 0) runs.push({ start: runStart, end: data.length });
  return runs;
}

/**
 * Writes `data` (at `fileOffset` in its file) through `write` as the runs `dataRuns` finds, so its
 * zero pages stay holes; the file must already be as long as it will be, or get its size at the end.
 */
export async function writeDataRuns(
  data: Uint8Array,
  fileOffset: number,
  write: (piece: Uint8Array, position: number) => Promise<void>,
): Promise<void> {
  for (const run of dataRuns(data, fileOffset)) {
    await write(data.subarray(run.start, run.end), fileOffset + run.start);
  }
}

function isZero(data: Uint8Array, start: number, end: number): boolean {
  let index = start;
  // Four bytes at a time where the view allows; the typical data page fails on its first word.
  if ((data.byteOffset + index) % 4 === 0 && (end - index) % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset + index, (end - index) / 4);
    for (let word = 0; word < words.length; word++) if (words[word] !== 0) return false;
    return true;
  }
  for (; index < end; index++) if (data[index] !== 0) return false;
  return true;
}
