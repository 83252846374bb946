import type { IncomingContext } from './incoming-file.ts';
import type { ChunkFrame } from './wire-frames.ts';
import type { FileBegin, FileOk } from './wire-messages.ts';

/**
 * Where one announced file's chunks go. `IncomingFile` writes a file beside its target; an archive
 * job's receiver stores the chunks in its `.orbitpak` store instead. The session drives either the same
 * way: HAVE from `have()`, each CHUNK to `writeChunk`, FILE_END to `finish` (or `abandon`).
 */
export interface IncomingTarget {
  readonly begin: FileBegin;
  have(): number[];
  writeChunk(frame: ChunkFrame): Promise<void>;
  finish(): Promise<FileOk>;
  abandon(options: { keepForResume: boolean }): Promise<void>;
}

/** Opens the target for one FILE_BEGIN; a prepared job may bring its own (archive mode). */
export type OpenIncoming = (begin: FileBegin, ctx: IncomingContext) => Promise<IncomingTarget>;
