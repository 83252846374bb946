/** The part of Deno's file API the engine uses where node:fs under Deno falls short. */
export interface DenoFile {
  seek(offset: number, whence: number): Promise<number>;
  write(data: Uint8Array): Promise<number>;
  close(): void;
}

/** Deno.FileInfo, the fields the engine reads. */
export interface DenoFileInfo {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly isSymlink: boolean;
  readonly size: number;
  readonly mtime: Date | null;
  readonly mode: number | null;
  readonly nlink: number | null;
  readonly dev: number;
  readonly ino: number | null;
  readonly blocks: number | null;
  readonly uid: number | null;
  readonly gid: number | null;
}

/** A file opened with Deno's synchronous calls, for the small-file path. */
export interface DenoSyncFile {
  readSync(buffer: Uint8Array): number | null;
  writeSync(data: Uint8Array): number;
  statSync(): DenoFileInfo;
  /** Numbers are seconds, fractions kept. */
  utimeSync(atime: number, mtime: number): void;
  syncData(): Promise<void>;
  close(): void;
}

export interface DenoOpenOptions {
  readonly read?: boolean;
  readonly write?: boolean;
  /** O_CREAT | O_EXCL: fails on anything at the path, a symlink included. */
  readonly createNew?: boolean;
  readonly mode?: number;
}

export interface DenoRuntime {
  open(path: string, options: { write: boolean }): Promise<DenoFile>;
  openSync(path: string, options: DenoOpenOptions): DenoSyncFile;
  lstatSync(path: string): DenoFileInfo;
  readDirSync(path: string): Iterable<{ readonly name: string }>;
  chmodSync(path: string, mode: number): void;
  chownSync(path: string, uid: number, gid: number): void;
  renameSync(from: string, to: string): void;
  removeSync(path: string): void;
}

export const DENO_SEEK_START = 0;

function isDenoRuntime(candidate: unknown): candidate is DenoRuntime {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    'open' in candidate &&
    typeof candidate.open === 'function' &&
    'lstatSync' in candidate &&
    typeof candidate.lstatSync === 'function'
  );
}

/** Deno's global when the engine runs under Deno, else undefined (Node). */
export function denoRuntime(): DenoRuntime | undefined {
  const candidate: unknown = Reflect.get(globalThis, 'Deno');
  return isDenoRuntime(candidate) ? candidate : undefined;
}
