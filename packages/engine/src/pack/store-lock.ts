import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { OrbitError } from '../errors.ts';
import { isErrno } from '../transfer/atomic-file.ts';

export const STORE_LOCK_FILE = 'lock';

export interface StoreLock {
  release(): Promise<void>;
}

/**
 * One writer per archive: two runs adding containers and index lines at once would each clean up
 * the other's temp container.
 */
export function acquireStoreLock(archiveDir: string): Promise<StoreLock> {
  return acquireLockFile(join(archiveDir, STORE_LOCK_FILE), 'the archive');
}

/** Lock files this process holds or is taking (resolved path → since when). */
const heldHere = new Map<string, string>();

/**
 * Creates `path` exclusively, naming this process; `subject` names what it guards in the error.
 * A lock left by a dead process on this host is taken over (two runs taking over the same stale
 * lock at the same instant could both succeed; that needs a crash and a race, and is accepted).
 * So is one naming this very pid that this process does not hold: a restarted container starts
 * its processes in the same order, so a Star killed there comes back with its old pid.
 */
export async function acquireLockFile(path: string, subject: string): Promise<StoreLock> {
  const owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const key = resolve(path);
  const mine = heldHere.get(key);
  // Listed before the file exists, so a second taker in this process never reads it as stale.
  if (mine !== undefined) throw inUse(subject, path, { ...owner, since: mine });
  heldHere.set(key, owner.since);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createWithContent(path, `${JSON.stringify(owner)}\n`)) {
        return {
          release: async () => {
            await rm(path, { force: true });
            heldHere.delete(key);
          },
        };
      }
      const holder = await readHolder(path);
      const previousLife = holder?.pid === owner.pid;
      if (holder !== null && (holder.host !== owner.host || (!previousLife && isAlive(holder.pid))))
        throw inUse(subject, path, holder);
      await rm(path, { force: true });
    }
    throw new OrbitError('IO', `could not take the lock on ${subject}`, {
      path,
      hint: 'another run keeps taking it; retry when it has finished',
    });
  } catch (error) {
    heldHere.delete(key);
    throw error;
  }
}

function inUse(
  subject: string,
  path: string,
  holder: { pid: number; host: string; since: string },
): OrbitError {
  return new OrbitError(
    'IO',
    `${subject} is in use by process ${holder.pid} on ${holder.host} since ${holder.since}`,
    {
      path,
      hint: `wait for that run to finish; if it is no longer running, delete ${path}`,
    },
  );
}

/**
 * Writes the content under a private name, then hard-links it into place: the lock appears with its
 * content in one step, so a racing reader never sees an empty lock and mistakes it for a stale one.
 */
async function createWithContent(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, content, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function readHolder(path: string): Promise<{ pid: number; host: string; since: string } | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
      return { pid: value.pid, host: value.host, since: value.since };
    }
  } catch {
    // An unreadable lock (torn by a crash while it was written) is as stale as a dead owner's.
  }
  return null;
}

/** Whether a process runs, or undefined when this probe cannot tell. */
export type ProcessProbe = (pid: number) => boolean | undefined;

let installedProbe: ProcessProbe | undefined;

/**
 * Installs how to tell whether a lock's holder still runs, for where kill(pid, 0) is not allowed: a
 * Star runs without Deno's --allow-run, and asks libc instead.
 */
export function installProcessProbe(probe: ProcessProbe): void {
  installedProbe = probe;
}

/**
 * The installed probe, else kill(pid, 0) (Deno gates it behind --allow-run; it refuses /proc to
 * anything short of --allow-all). When neither can tell, the holder counts as alive: a lock is
 * never broken on a guess.
 */
function isAlive(pid: number): boolean {
  const probed = installedProbe?.(pid);
  if (probed !== undefined) return probed;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH');
  }
}
