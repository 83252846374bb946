import { moduleWorkersAvailable, startModuleWorker } from '../runtime/module-worker.ts';
import type { DirectWriteRequest, DirectWriteResponse } from './direct-write-worker.ts';
import type { FileInode } from './file-inode.ts';
import type { PositionalWriter } from './positional-writer.ts';

/**
 * A writer that writes with O_DIRECT from a worker thread, so page-aligned blocks go from their
 * read buffers to the disk without being copied into fresh page-cache pages: the largest kernel
 * cost of a first copy on this VM, and no dirty pages are left for the final fdatasync to flush.
 * What direct I/O cannot take (an unaligned block or tail, a filesystem without O_DIRECT) is
 * written through the page cache by the same worker, in order. Undefined without module workers
 * (Node). fsync is still needed: the device may cache direct writes too. With `inode`, the writes
 * fail unless `path` still names that file (dev + ino) when the worker opens it.
 */
export function openDirectWriter(path: string, inode?: FileInode): PositionalWriter | undefined {
  if (!moduleWorkersAvailable()) return undefined;
  const worker = startModuleWorker<DirectWriteRequest, DirectWriteResponse>(
    new URL('./direct-write-worker.ts', import.meta.url),
    'direct write worker',
  );
  // Not awaited: the worker starts while the pass reads and cuts its first blocks, and a failed
  // open fails the first write.
  worker.send(inode === undefined ? { kind: 'open', path } : { kind: 'open', path, inode });
  let closing: Promise<void> | undefined;
  return {
    write: async (data, position) => {
      await worker.request({ kind: 'write', data, position });
    },
    close: () => {
      closing ??= worker.request({ kind: 'close' }).then(
        () => worker.close(),
        (error: unknown) => {
          worker.close();
          throw error;
        },
      );
      return closing;
    },
  };
}
