// Original file: proto/orbit/v1/orbit.proto

/**
 * What a scanned filesystem entry is.
 */
export const EntryKind = {
  /**
   * Not set.
   */
  ENTRY_KIND_UNSPECIFIED: 'ENTRY_KIND_UNSPECIFIED',
  /**
   * A regular file.
   */
  ENTRY_KIND_FILE: 'ENTRY_KIND_FILE',
  /**
   * A directory.
   */
  ENTRY_KIND_DIRECTORY: 'ENTRY_KIND_DIRECTORY',
  /**
   * A symbolic link (reported, never followed).
   */
  ENTRY_KIND_SYMLINK: 'ENTRY_KIND_SYMLINK',
  /**
   * Anything else (device, socket, FIFO); reported so the plan can refuse or skip it.
   */
  ENTRY_KIND_OTHER: 'ENTRY_KIND_OTHER',
} as const;

/**
 * What a scanned filesystem entry is.
 */
export type EntryKind =
  /**
   * Not set.
   */
  | 'ENTRY_KIND_UNSPECIFIED'
  | 0
  /**
   * A regular file.
   */
  | 'ENTRY_KIND_FILE'
  | 1
  /**
   * A directory.
   */
  | 'ENTRY_KIND_DIRECTORY'
  | 2
  /**
   * A symbolic link (reported, never followed).
   */
  | 'ENTRY_KIND_SYMLINK'
  | 3
  /**
   * Anything else (device, socket, FIFO); reported so the plan can refuse or skip it.
   */
  | 'ENTRY_KIND_OTHER'
  | 4

/**
 * What a scanned filesystem entry is.
 */
export type EntryKind__Output = typeof EntryKind[keyof typeof EntryKind]
