/**
 * Makes everything written so far to the filesystems that hold `folders` durable, data and
 * metadata (Linux syncfs(2), one call per folder). Resolves false when it could not, and the caller
 * then syncs file by file as before.
 */
export type FilesystemSync = (folders: readonly string[]) => Promise<boolean>;

let installed: FilesystemSync | undefined;

/**
 * Installs the runtime's filesystem sync: the engine is framework-free, and the call lives where
 * the runtime's native access does (the CLI installs one through Deno's FFI).
 */
export function installFilesystemSync(sync: FilesystemSync): void {
  installed = sync;
}

export function filesystemSync(): FilesystemSync | undefined {
  return installed;
}
