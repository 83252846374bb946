import { link, rename, rm } from 'node:fs/promises';
import type { CargoRecord } from '../cargo/cargo-schema.ts';
import { OrbitError } from '../errors.ts';
import { lstatPathOrUndefined } from '../scan/path-stat.ts';
import type { ScanEntry } from '../scan/scan-tree.ts';
import { isErrno, partialPathFor } from './atomic-file.ts';

/** The first name of a multiply-linked source file that the job met, and how its copy went. */
export interface LinkLeader {
  readonly path: string;
  readonly target: string;
  /** Its cargo record once copied (undefined in a dry run); rejects when it failed or was skipped. */
  readonly copied: Promise<CargoRecord | undefined>;
}

/**
 * Hard links inside one job's source, kept as hard links at the destination as `cp -a` does: the
 * first name met (scan order, so the same one every run) is copied, each later name is linked to
 * that copy. Only names the job sees count; a link to a file outside the source is a plain file.
 */
export class HardLinkGroups {
  readonly #leaders = new Map<string, LinkLeader>();

  /**
   * The leader of `entry`'s group, or undefined when `entry` leads (or has one name); a leader must
   * settle `done` with its record, or with an error, once its copy finished or failed.
   */
  leaderOf(
    entry: ScanEntry,
    target: string,
  ): { leader: LinkLeader } | { done: (record: CargoRecord | undefined, error?: unknown) => void } {
    const key = entry.linkKey;
    const existing = key === undefined ? undefined : this.#leaders.get(key);
    if (existing) return { leader: existing };
    let settle: (record: CargoRecord | undefined, error?: unknown) => void = () => undefined;
    const copied = new Promise<CargoRecord | undefined>((resolve, reject) => {
      settle = (record, error) => (error === undefined ? resolve(record) : reject(error));
    });
    // A follower that never comes must not turn a leader's failure into an unhandled rejection.
    copied.catch(() => undefined);
    if (key !== undefined) this.#leaders.set(key, { path: entry.path, target, copied });
    return { done: settle };
  }
}

export type LinkOutcome = 'linked' | 'unchanged' | 'not-supported';

/**
 * Makes `target` another name of `leaderTarget`: already one (same inode) is `unchanged`; otherwise
 * a link is made beside it under the partial name and renamed over it, so the old file stays in
 * place until the new name is complete. A filesystem without hard links (or a target folder on
 * another one) answers `not-supported` and the caller copies the file instead.
 */
export async function linkToLeader(target: string, leaderTarget: string): Promise<LinkOutcome> {
  const [current, leader] = await Promise.all([
    lstatPathOrUndefined(target),
    lstatPathOrUndefined(leaderTarget),
  ]);
  if (leader?.kind !== 'file') {
    throw new OrbitError('IO', 'the copy this hard link should point to is missing', {
      path: leaderTarget,
      hint: 'run the job again; the first name of the file is copied before its other names',
    });
  }
  if (current?.kind === 'dir') {
    throw new OrbitError('IO', 'the destination has a directory where the source has a file', {
      path: target,
      hint: 'move or remove that directory, then run the job again',
    });
  }
  if (current?.linkKey !== undefined && current.linkKey === leader.linkKey) return 'unchanged';
  const temp = partialPathFor(target);
  await rm(temp, { force: true });
  try {
    await link(leaderTarget, temp);
  } catch (error) {
    if (isErrno(error, 'EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK')) return 'not-supported';
    throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  return 'linked';
}
