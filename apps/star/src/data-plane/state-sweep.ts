import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { partialPathFor } from '@orbit/engine/transfer/atomic-file';
import type { PathJail } from '../security/path-jail.ts';
import { isOwnTemp } from './incoming-resume.ts';
import { journalRecord } from './receiver-journal.ts';

export interface StateSweepOptions {
  readonly stateDir: string;
  readonly jail: PathJail;
  /** A journal untouched this long belongs to a transfer nobody will resume. */
  readonly maxAgeMs: number;
  readonly log: (line: string) => void;
  readonly now?: () => number;
}

export interface StateSweepResult {
  /** Partial temp files removed from destinations. */
  readonly temps: number;
  /** Receive and archive-run journals removed from the state folder. */
  readonly journals: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Removes what interrupted receives left behind and nobody came back for: a resume journal not
 * appended to for `maxAgeMs`, the hidden partial file it names at the destination (only when that
 * name still resolves, through the jail for writing, to the regular file the journal recorded), and
 * archive-run journals as old. A live transfer appends to its journal at every checkpoint and a
 * silent connection is dropped after minutes, so only abandoned transfers are this old. Like
 * Syncthing's `keepTemporariesH`: a resume costs a re-send after that, never data. (The chunk-list
 * cache's entries of files that are gone go when the data plane starts: `ChunkListCache.sweep`.)
 */
export async function sweepStaleState(options: StateSweepOptions): Promise<StateSweepResult> {
  const dir = join(options.stateDir, 'data-plane');
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const now = options.now?.() ?? Date.now();
  let temps = 0;
  let journals = 0;
  for (const name of names) {
    if (!name.endsWith('.jsonl')) continue;
    const file = join(dir, name);
    const stats = await lstat(file).catch(() => undefined);
    if (!stats?.isFile() || now - stats.mtimeMs < options.maxAgeMs) continue;
    const age = ageText(now - stats.mtimeMs);
    if (name.endsWith('.archive.jsonl')) {
      options.log(`removed an archive run journal untouched for ${age} (${name}): its run was abandoned`);
    } else if (await dropTemp(file, age, options)) temps += 1;
    await rm(file, { force: true });
    journals += 1;
  }
  return { temps, journals };
}

/** Removes the partial file a receive journal names; true when one was removed. */
async function dropTemp(journal: string, age: string, options: StateSweepOptions): Promise<boolean> {
  const record = await journalRecord(journal).catch(() => undefined);
  if (record === undefined) {
    options.log(`removed a damaged receive journal untouched for ${age} (${journal})`);
    return false;
  }
  const what = `the journal of an interrupted receive of ${record.target} (untouched for ${age})`;
  let temp: Awaited<ReturnType<PathJail['resolveEntry']>>;
  try {
    temp = await options.jail.resolveEntry(partialPathFor(record.target), 'write');
  } catch (error) {
    options.log(
      `removed ${what} but kept ${record.temp}: ${(error as Error).message}; remove that file by hand if it is still there`,
    );
    return false;
  }
  if (temp.realPath !== record.temp || !temp.exists || !(await isOwnTemp(temp.realPath))) {
    options.log(`removed ${what}; no partial file of its own is left at ${record.temp}`);
    return false;
  }
  await rm(temp.realPath, { force: true });
  options.log(`removed ${what} and its partial file ${record.temp}`);
  return true;
}

function ageText(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days`;
  if (ms >= 2 * HOUR_MS) return `${Math.floor(ms / HOUR_MS)} hours`;
  return `${Math.max(0, Math.floor(ms / MINUTE_MS))} minutes`;
}
