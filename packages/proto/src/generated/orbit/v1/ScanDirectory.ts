// Original file: proto/orbit/v1/orbit.proto


/**
 * List a directory tree under an allowed root. Entries stream as ScanEntries parts.
 */
export interface ScanDirectory {
  /**
   * Absolute path of the directory on the Star; must be inside an allowed root.
   */
  'path'?: (string);
  /**
   * Glob patterns (picomatch syntax, relative to `path`) an entry must match; empty means all.
   */
  'include'?: (string)[];
  /**
   * Glob patterns that drop an entry (and a directory's whole subtree); applied after `include`.
   */
  'exclude'?: (string)[];
}

/**
 * List a directory tree under an allowed root. Entries stream as ScanEntries parts.
 */
export interface ScanDirectory__Output {
  /**
   * Absolute path of the directory on the Star; must be inside an allowed root.
   */
  'path': (string);
  /**
   * Glob patterns (picomatch syntax, relative to `path`) an entry must match; empty means all.
   */
  'include': (string)[];
  /**
   * Glob patterns that drop an entry (and a directory's whole subtree); applied after `include`.
   */
  'exclude': (string)[];
}
