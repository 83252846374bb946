import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { JobContext, ProgressEvent, ProvenanceEvent, ResolvedJob } from '../runner/job-executor.ts';

/** Small chunks so a few hundred KiB exercise multi-chunk files, dedup and rotation. */
export const TEST_CHUNKING = { minSize: 4096, avgSize: 16384, maxSize: 65536 } as const;

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `orbit-${label}-`));
}

export function archiveJobFor(
  source: string,
  destination: string,
  overrides: Partial<ResolvedJob> = {},
): ResolvedJob {
  return {
    name: 'backup',
    source,
    destination,
    include: [],
    exclude: [],
    mode: 'archive',
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

export interface RecordingContext extends JobContext {
  readonly events: ProgressEvent[];
  readonly provenance: ProvenanceEvent[];
}

export function recordingContext(
  stateDir: string,
  options: { signal?: AbortSignal; onProgress?: (event: ProgressEvent) => void; dryRun?: boolean } = {},
): RecordingContext {
  const events: ProgressEvent[] = [];
  const provenance: ProvenanceEvent[] = [];
  return {
    runId: `run-${randomBytes(4).toString('hex')}`,
    signal: options.signal ?? new AbortController().signal,
    dryRun: options.dryRun ?? false,
    stateDir,
    events,
    provenance,
    onProgress(event) {
      events.push(event);
      options.onProgress?.(event);
    },
    async audit(event) {
      provenance.push(event);
    },
  };
}

/** A tree with an empty file, a multi-chunk file, a duplicate of it, nested dirs and a symlink. */
export async function writeMixedTree(root: string): Promise<{ big: Uint8Array }> {
  const big = randomBytes(700 * 1024);
  await writeTreeFile(root, 'empty.txt', new Uint8Array());
  await writeTreeFile(root, 'docs/readme.md', Buffer.from('# Orbit\nhello archive\n'));
  await writeTreeFile(root, 'data/deep/nested/big.bin', big);
  await writeTreeFile(root, 'data/copy-of-big.bin', big);
  await writeTreeFile(root, 'data/text.log', Buffer.from('line\n'.repeat(20_000)));
  await symlink('deep/nested/big.bin', join(root, 'data/link-to-big'));
  await mkdir(join(root, 'empty-dir'));
  await utimes(join(root, 'docs/readme.md'), 1_600_000_000, 1_600_000_000);
  return { big };
}

export async function writeTreeFile(root: string, path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), data);
}
