import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import type { JobContext, ProgressEvent, ProvenanceEvent, ResolvedJob } from '../runner/job-executor.ts';

/** Small chunks keep multi-chunk files small in tests. */
export const TEST_CHUNKING: ChunkingOptions = { minSize: 4096, avgSize: 16384, maxSize: 65536 };

export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `orbit-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const absolute = join(root, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/**
 * Every entry under `root` by relative path: `dir`, `file <sha256>` or `symlink -> <text>`, so a
 * test says with one `toEqual` that two trees hold the same kinds, contents and link texts.
 */
export async function describeTree(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const name of await readdir(root, { recursive: true })) {
    const path = join(root, String(name));
    const stats = await lstat(path);
    tree[String(name).split(sep).join('/')] = stats.isSymbolicLink()
      ? `symlink -> ${await readlink(path)}`
      : stats.isDirectory()
        ? 'dir'
        : `file ${createHash('sha256')
            .update(await readFile(path))
            .digest('hex')}`;
  }
  return tree;
}

export function randomData(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

export function testJob(
  overrides: Partial<ResolvedJob> & Pick<ResolvedJob, 'source' | 'destination'>,
): ResolvedJob {
  return {
    name: 'test',
    include: [],
    exclude: [],
    mode: 'copy',
    delete: false,
    compression: { codec: 'none' },
    checksum: 'blake3',
    resume: true,
    chunking: TEST_CHUNKING,
    dependsOn: [],
    packSize: 64 * 1024 * 1024,
    ...overrides,
  };
}

/** A context that records what an executor reports, for direct executor tests. */
export function recordingContext(
  stateDir: string,
  overrides: Partial<JobContext> = {},
): JobContext & { progress: ProgressEvent[]; provenance: ProvenanceEvent[] } {
  const progress: ProgressEvent[] = [];
  const provenance: ProvenanceEvent[] = [];
  return {
    runId: 'test-run',
    signal: new AbortController().signal,
    dryRun: false,
    stateDir,
    onProgress: (event) => progress.push(event),
    audit: async (event) => {
      provenance.push(event);
    },
    progress,
    provenance,
    ...overrides,
  };
}

/** A test's folders: `source` (created, empty), `destination` and `state` (not created), in `root`. */
export interface TransferDirs {
  readonly root: string;
  readonly source: string;
  readonly destination: string;
  readonly state: string;
}

/**
 * Gives every test of the file fresh folders (`use` receives them before each test) and removes
 * them after it.
 */
export function useTransferDirs(prefix: string, use: (dirs: TransferDirs) => void): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const made = await makeTempDir(prefix);
    cleanup = made.cleanup;
    const dirs = {
      root: made.dir,
      source: join(made.dir, 'src'),
      destination: join(made.dir, 'dst'),
      state: join(made.dir, 'state'),
    };
    await mkdir(dirs.source);
    use(dirs);
  });
  afterEach(() => cleanup?.());
}
