/**
 * Makes everything written so far to the filesystems that hold `folders` durable, data and
 * metadata (Linux syncfs(2), one call per filesystem). Resolves false when it could not, and the
 * caller then syncs file by file as before.
 */
export type FilesystemSync = (folders: readonly string[]) => Promise<boolean>;

/** The same sync for a worker thread, which may block while the disk works. */
export type BlockingFilesystemSync = (folders: readonly string[]) => boolean;

/** A module exporting `blockingFilesystemSync`, for workers to import (they share no module state). */
export interface BlockingFilesystemSyncModule {
  readonly blockingFilesystemSync: BlockingFilesystemSync;
}

let installed: FilesystemSync | undefined;
let installedModule: URL | undefined;

/**
 * Installs the runtime's filesystem sync: the engine is framework-free, and the call lives where
 * the runtime's native access does (the CLI installs one through Deno's FFI). `workerModule` is
 * the URL of a `BlockingFilesystemSyncModule` with the same sync, for the engine's workers.
 */
export function installFilesystemSync(sync: FilesystemSync, workerModule?: URL): void {
  installed = sync;
  installedModule = workerModule;
}

export function filesystemSync(): FilesystemSync | undefined {
  return installed;
}

export function filesystemSyncWorkerModule(): URL | undefined {
  return installedModule;
}
