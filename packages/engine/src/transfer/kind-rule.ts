import { readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OrbitError } from '../errors.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { lstatPathOrUndefined, type PathKind, type PathStat } from '../scan/path-stat.ts';
import { entryFromStat, type ScanEntry, scanTree } from '../scan/scan-tree.ts';
import { isErrno } from './atomic-file.ts';
import { removeEntries } from './mirror-prune.ts';
import { makeDirectory } from './tree-entries.ts';

/**
 * What a mode may remove where the destination holds another kind of entry than the source:
 * copy nothing, mirror a file or symlink, mirror with `delete = true` a folder with its contents too.
 */
export type KindReplace = 'nothing' | 'files' | 'files-and-folders';

export interface KindRuleInput {
  readonly job: ResolvedJob;
  readonly replace: KindReplace;
  readonly dryRun: boolean;
  /** Destination paths no walk of the job sees (temp files, the run's own state): they stay. */
  readonly ignore: (path: string) => boolean;
  readonly signal: AbortSignal;
  /** Each entry removed to make way, recorded as a mirror's other deletions are. */
  readonly onDeleted: (entry: ScanEntry) => Promise<void>;
}

/**
 * Puts the source's kind of entry at each path. A file and a symlink replace each other in any
 * mode (renamed over, never followed). The rest is here: a file or symlink where the source has a
 * folder, and a folder where the source has a file or symlink, each removed only where the mode
 * allows, else that path fails naming the fix. Nothing is written below a path that is not a
 * folder, so a destination symlink never leads a write out of the destination.
 */
export class KindRule {
  readonly #input: KindRuleInput;
  /** Source folders whose destination path could not be made a folder. */
  readonly #blocked = new Set<string>();

  constructor(input: KindRuleInput) {
    this.#input = input;
  }

  /** Throws for an entry below a folder that is not in place (its path may run through a link). */
  checkFolders(path: string): void {
    if (this.#blocked.size === 0) return;
    for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
      const folder = path.slice(0, at);
      if (!this.#blocked.has(folder)) continue;
      throw new OrbitError('IO', `not copied: the destination's "${folder}" is not a folder`, {
        path: this.#target(path),
        hint: `fix the failure reported for "${folder}", then run the job again`,
      });
    }
  }

  /**
   * The source has a folder at `entry.path`: makes the destination's, replacing a file or symlink
   * where the mode allows. Resolves true when this run made it (so it holds nothing yet).
   */
  async placeFolder(entry: ScanEntry): Promise<boolean> {
    const target = this.#target(entry.path);
    try {
      const current = await lstatPathOrUndefined(target);
      if (current?.kind === 'dir') return false;
      if (current) await this.#removeForFolder(entry.path, current);
      if (this.#input.dryRun) return false;
      await makeDirectory(target, entry);
      return true;
    } catch (error) {
      this.#blocked.add(entry.path);
      throw error;
    }
  }

  /** The source has a file or symlink at `entry.path`: a folder there goes first, or the path fails. */
  async makeWay(entry: ScanEntry): Promise<void> {
    const current = await lstatPathOrUndefined(this.#target(entry.path));
    if (current?.kind === 'dir') await this.clearFolder(entry, current);
  }

  /**
   * Removes the destination's folder at `entry.path` with what the job sees in it (mirror with
   * delete only); one still holding entries the job does not touch stays and fails the path.
   */
  async clearFolder(entry: ScanEntry, current: PathStat): Promise<void> {
    const { job, replace } = this.#input;
    const target = this.#target(entry.path);
    const here = `the destination has a folder here where the source has ${nameOf(entry.kind)}`;
    if (replace !== 'files-and-folders') {
      const { why, hint } = FOLDER_STAYS[replace];
      throw new OrbitError('IO', `${here}: ${why}`, { path: target, hint });
    }
    if (this.#input.dryRun) return;
    const inside: ScanEntry[] = [];
    const failures: { path: string; message: string }[] = [];
    for await (const found of scanTree(job.destination, {
      include: job.include,
      exclude: job.exclude,
      signal: this.#input.signal,
      ignore: this.#input.ignore,
      from: entry.path,
      onError: (failure) => failures.push({ path: failure.path, message: failure.error.format() }),
    })) {
      inside.push(found);
    }
    const removed = await removeEntries(job.destination, inside);
    for (const gone of removed.deleted) await this.#input.onDeleted(gone);
    const failed = [...failures, ...removed.failures][0];
    if (failed) {
      throw new OrbitError(
        'IO',
        `${here}, and ${failed.path} in it could not be removed: ${failed.message}`,
        {
          path: target,
          hint: 'fix that entry or move the folder out of the way, then run the job again',
        },
      );
    }
    try {
      await rmdir(target);
    } catch (error) {
      if (!isErrno(error, 'ENOTEMPTY', 'EEXIST')) throw cannotRemove(target, NOUNS.dir, error);
      const left = (await readdir(target)).sort().slice(0, 3);
      throw new OrbitError(
        'IO',
        `${here}, and it still holds entries this mirror does not remove (excluded by the job's include/exclude, a transfer's temp files or the run's own state: ${left.map((name) => `${entry.path}/${name}`).join(', ')})`,
        { path: target, hint: 'move them out of the way, then run the job again' },
      );
    }
    await this.#input.onDeleted(entryFromStat(entry.path, 'dir', current));
  }

  /** A file, symlink or special file stands where the source has a folder. */
  async #removeForFolder(path: string, current: PathStat): Promise<void> {
    const target = this.#target(path);
    if (this.#input.replace === 'nothing') {
      throw new OrbitError(
        'IO',
        `the destination has ${nameOf(current.kind)} here where the source has a folder: copy ${
          current.kind === 'symlink'
            ? 'neither writes through a symlink nor replaces one'
            : 'does not replace it'
        } with a folder`,
        {
          path: target,
          hint: 'move it out of the way, or use mode = "mirror", which replaces it; then run the job again',
        },
      );
    }
    if (this.#input.dryRun) return;
    // unlink removes the link itself, never what it points to.
    await unlink(target).catch((error: unknown) => {
      throw cannotRemove(target, NOUNS[current.kind], error);
    });
    await this.#input.onDeleted(entryFromStat(path, current.kind, current));
  }

  #target(path: string): string {
    return join(this.#input.job.destination, path);
  }
}

/** Why a folder in the way stays, and the fix, for each rule that keeps folders. */
const FOLDER_STAYS: Readonly<
  Record<Exclude<KindReplace, 'files-and-folders'>, { why: string; hint: string }>
> = {
  nothing: {
    why: 'copy never removes a folder',
    hint: 'move the folder out of the way, or use mode = "mirror" with delete = true, which replaces it and everything in it; then run the job again',
  },
  files: {
    why: 'a mirror replaces a folder, and everything in it, only with delete = true',
    hint: 'set delete = true on the job, or move the folder out of the way, then run the job again',
  },
};

const NOUNS: Readonly<Record<PathKind, string>> = {
  file: 'file',
  dir: 'folder',
  symlink: 'symlink',
  special: 'special file',
};

function nameOf(kind: PathKind): string {
  return `a ${NOUNS[kind]}`;
}

function cannotRemove(target: string, what: string, error: unknown): OrbitError {
  return new OrbitError(
    'IO',
    `cannot remove the ${what} in the way of the source's entry: ${String(error)}`,
    {
      path: target,
      hint: 'check that the destination folder is writable, then run the job again',
    },
  );
}
