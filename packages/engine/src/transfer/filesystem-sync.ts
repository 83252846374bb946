/**
 * Makes everything written so far to the filesystems that hold `folders` durable, data and
 * metadata (Linux syncfs(2), one call per filesystem). Resolves false when it could not, and the
 * caller then syncs file by file as before.
 */
export type FilesystemSync = (folders: readonly string[]) => Promise<boolean>;

/** A module exporting the same sync, for workers to import (they share no module state). */
export interface FilesystemSyncModule {
  readonly syncFilesystems: FilesystemSync;
}

let installed: FilesystemSync | undefined;
let installedModule: URL | undefined;

/**
 * Installs the runtime's filesystem sync: the engine is framework-free, and the call lives where
 * the runtime's native access does (the CLI installs one through Deno's FFI). `workerModule` is
 * the URL of a `FilesystemSyncModule` with the same sync, for the engine's workers.
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
