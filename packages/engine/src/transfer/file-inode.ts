import type { FileHandle } from 'node:fs/promises';

/**
 * Which file a descriptor has open. A file opened again by its path (with O_DIRECT, in a worker,
 * through Deno's own API) follows whatever stands at the name now, maybe a link swapped in after
 * the caller's checked open: it is used only if it has the caller's inode.
 */
export interface FileInode {
  readonly dev: number;
  readonly ino: number;
}

export async function inodeOf(handle: FileHandle): Promise<FileInode> {
  const { dev, ino } = await handle.stat();
  return { dev, ino };
}

/** `opened` (a stat of the second descriptor; Deno may report no inode) is the file `expected` names. */
export function isSameInode(
  opened: { readonly dev: number; readonly ino: number | null },
  expected: FileInode,
): boolean {
  return opened.dev === expected.dev && opened.ino === expected.ino;
}
