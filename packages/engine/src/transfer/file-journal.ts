import type { ChunkRef } from './chunk-pass.ts';

/** Where an interrupted run left a file: its temp path, the source it was copying and the chunks written. */
export interface FileResumePoint {
  readonly temp: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Chunks in order from offset 0, each durable in `temp` before it was recorded. */
  readonly chunks: readonly ChunkRef[];
}

/**
 * The resume journal as file transfers see it. Durability rule: the transfer fdatasyncs its temp
 * file before `checkpoint`, and `checkpoint` / `fileFinished` fsync the journal, so every chunk a
 * journal names is on disk (and is re-hashed on resume anyway).
 */
export interface FileJournal {
  resumePoint(path: string): FileResumePoint | undefined;
  fileStarted(path: string, info: { temp: string; size: number; mtimeMs: number }): Promise<void>;
  checkpoint(path: string, chunks: readonly ChunkRef[]): Promise<void>;
  fileFinished(path: string): Promise<void>;
}
