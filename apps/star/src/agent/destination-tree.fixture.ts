import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createPathJail } from '../security/path-jail.ts';
import type { CommandIo } from './command-io.ts';

/** A job's destination below the only allowed root, and a folder outside every root. */
export interface DestinationTree {
  readonly base: string;
  /** `<base>/root/dest`, under the read-write root `<base>/root`. */
  readonly dest: string;
  /** `<base>/outside`, holding `precious.txt` ("keep me"), which no command may touch. */
  readonly outside: string;
}

/** A fresh tree for each test of the file, removed after it; `use` receives it before the test runs. */
export function useDestinationTree(prefix: string, use: (tree: DestinationTree) => void): void {
  let base: string | undefined;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), `orbit-${prefix}-`));
    const tree = { base, dest: join(base, 'root', 'dest'), outside: join(base, 'outside') };
    await mkdir(tree.dest, { recursive: true });
    await mkdir(tree.outside, { recursive: true });
    await writeFile(join(tree.outside, 'precious.txt'), 'keep me');
    use(tree);
  });
  afterEach(() => (base === undefined ? undefined : rm(base, { recursive: true, force: true })));
}

/** A command's I/O whose jail allows only `<base>/root` (read-write). */
export function commandIo(base: string): CommandIo {
  return {
    jail: createPathJail([{ path: join(base, 'root'), access: 'rw' }]),
    signal: new AbortController().signal,
    partMaxBytes: 1024 * 1024,
    emitPart: async () => undefined,
    partsSent: () => 0,
    progress: () => undefined,
  };
}
